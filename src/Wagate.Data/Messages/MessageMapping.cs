using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Entities;

namespace Wagate.Data.Messages;

/// <summary>Message rows to the API's Message, the one shape every reader and every event sees.</summary>
public static class MessageMapping
{
    public static Message ToProto(this MessageRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var message = new Message
        {
            Name = ResourceNames.Message(row.TenantId, row.SessionId, row.Id),
            Direction = (Message.Types.Direction)row.Direction,
            Chat = row.Chat,
            RequestId = row.RequestId ?? "",
            Content = StoredContent.FromJson(row.Content),
            State = (Message.Types.State)row.State,
            CreateTime = DbTimes.ToTimestamp(row.CreateTime),
            SendTime = DbTimes.ToTimestamp(row.SendTime),
            DeliverTime = DbTimes.ToTimestamp(row.DeliverTime),
            ReadTime = DbTimes.ToTimestamp(row.ReadTime),
            PlayTime = DbTimes.ToTimestamp(row.PlayTime),
            FailTime = DbTimes.ToTimestamp(row.FailTime),
            UpdateTime = DbTimes.ToTimestamp(row.UpdateTime),
            Typing = row.TypingMillis is { } typing ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(typing)) : null,
        };
        if (row.State == (int)Message.Types.State.Failed)
        {
            message.FailureReason = row.FailureReason ?? "";
            message.FailureMessage = row.FailureMessage ?? "";
        }
        return message;
    }
}
