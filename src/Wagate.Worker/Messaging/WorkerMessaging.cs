using Wagate.Data.Messages;
using Wagate.Storage;

namespace Wagate.Worker.Messaging;

/// <summary>What a worker needs to carry its sessions' messages: the ledger it records them in
/// (the gateways' database), the media store the gateways keep inline media in, and how fast a
/// session may send.</summary>
public sealed record WorkerMessaging(IWorkerMessageLedger Ledger, MediaStore Media, SendPacing Pacing);
