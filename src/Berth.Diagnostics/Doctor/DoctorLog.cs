using Microsoft.Extensions.Logging;

namespace Berth.Diagnostics.Doctor;

internal static partial class DoctorLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "doctor: the {Area} checks failed")]
    public static partial void CheckFailed(ILogger logger, string area, Exception error);
}
