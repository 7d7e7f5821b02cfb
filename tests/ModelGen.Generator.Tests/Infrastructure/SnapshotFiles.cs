using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ModelGen.Generator.Tests.Infrastructure;

/// <summary>
/// Locations of the snapshot models and of the expected generated sources, in the source tree of this test
/// project (not its output folder), so that accepting new snapshots rewrites the files under version control.
/// </summary>
internal static partial class SnapshotFiles
{
    /// <summary>Set to 1 to rewrite the expected sources from the generator's current output instead of comparing.</summary>
    public const string AcceptVariable = "MODELGEN_ACCEPT_SNAPSHOTS";

    public static string ProjectDirectory { get; } = FindProjectDirectory();

    public static string ModelsDirectory => Path.Combine(ProjectDirectory, "SnapshotModels");

    public static string SnapshotsDirectory => Path.Combine(ProjectDirectory, "Snapshots");

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>
    /// Returns generated source in its snapshot form: '\n' line ends, and the generator version in
    /// <c>[GeneratedCode]</c> replaced by a placeholder so that a version bump does not touch every snapshot.
    /// </summary>
    public static string Normalize(string source) =>
        GeneratedCodeVersion().Replace(source.Replace("\r\n", "\n", StringComparison.Ordinal), "GeneratedCode(\"ModelGen.Generator\", \"<version>\")");

    [GeneratedRegex("GeneratedCode\\(\"ModelGen\\.Generator\", \"[^\"]*\"\\)")]
    private static partial Regex GeneratedCodeVersion();

    /// <summary>
    /// Walks up from the test output folder to the folder with this project file. The compile-time path of this
    /// file is the fallback only, because deterministic CI builds may map source paths.
    /// </summary>
    private static string FindProjectDirectory([CallerFilePath] string thisFile = "")
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelGen.Generator.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, ".."));
    }
}
