using Wagate.Contracts.Admin.V1;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Admin;

internal sealed class DrainWorkerValidator : IRequestValidator<DrainWorkerRequest>
{
    public void Validate(DrainWorkerRequest request, Violations violations) => violations.Name("name", request.Name, "workers/*");
}

internal sealed class MigrateSessionValidator : IRequestValidator<MigrateSessionRequest>
{
    public void Validate(MigrateSessionRequest request, Violations violations) => violations
        .Name("name", request.Name, "tenants/*/sessions/*")
        .Name("targetWorker", request.TargetWorker, "workers/*");
}
