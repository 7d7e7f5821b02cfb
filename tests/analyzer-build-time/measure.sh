#!/usr/bin/env bash
# Measures how much the ModelGen usage analyzers add to the build of a project with 50 training calls.
#
# Usage: tests/analyzer-build-time/measure.sh [runs]   (default: 7 runs of each configuration)
#
# The script builds the runtime, the generator and the analyzers in Release, writes a small project into a
# temporary directory (a three-head model and 10 methods with 5 generated-method calls each), then compiles it
# repeatedly, alternating a build without the analyzers and one with them. Every build recompiles (a source
# file is touched first), and both configurations run the ModelGen generator. It does this for two variants
# of the methods (see write_training) and prints, for each, the median wall time of 'dotnet build' and of the
# Csc task per configuration, and the analyzer's own execution time as the compiler reports it (ReportAnalyzer).
set -euo pipefail

runs="${1:-7}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ -n "${KEEP_WORK:-}" ]]; then trap - EXIT; echo "work directory: $work" >&2; fi

echo "Building runtime, generator and analyzers (Release)..." >&2
dotnet build "$repo/runtime/ModelGen.csproj" -c Release -v:q -nologo >/dev/null
dotnet build "$repo/generator/ModelGen.Generator.csproj" -c Release -v:q -nologo >/dev/null
dotnet build "$repo/analyzers/ModelGen.Analyzers/ModelGen.Analyzers.csproj" -c Release -v:q -nologo >/dev/null

runtime_dll="$repo/runtime/bin/Release/net10.0/ModelGen.dll"
generator_dll="$repo/generator/bin/Release/netstandard2.0/ModelGen.Generator.dll"
analyzers_dll="$repo/analyzers/ModelGen.Analyzers/bin/Release/netstandard2.0/ModelGen.Analyzers.dll"

cat > "$work/BuildTime.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <OutputType>Library</OutputType>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="ModelGen" HintPath="$runtime_dll" />
    <Analyzer Include="$generator_dll" />
    <Analyzer Include="$analyzers_dll" Condition="'\$(UsageAnalyzers)' == 'true'" />
  </ItemGroup>
</Project>
XML

cat > "$work/Model.cs" <<'CS'
using ModelGen;

namespace BuildTime;

[Model(Seed = 7)]
public sealed partial class ThreeHeadNet
{
    [Input(16)]
    public partial InputLayer X { get; }

    [Dense(32, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer B { get; }

    [Dense(4, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer C { get; }
}
CS

# Writes Training.cs: 10 methods x 5 calls = 50 calls of generated methods. Variant 'plain' holds no null or
# NaN constant, so the analyzer only scans each method; variant 'nan-handling' writes NaN for missing labels,
# replaces it, and tests a possibly-null array in every method, so the data-flow analysis runs on all of them.
write_training() {
    local variant="$1"
    {
        echo 'using System;'
        echo 'using System.IO;'
        echo 'using System.Linq;'
        echo
        echo 'namespace BuildTime;'
        echo
        echo 'public static class Training'
        echo '{'
        for i in $(seq 1 10); do
            cat <<CS
    public static float Epoch$i(ThreeHeadNet net, string path, int batch)
    {
        float[] x = File.ReadAllLines(path).Select(float.Parse).Take(batch * 16).ToArray();
        float[] a = new float[batch];
        float[] b = Enumerable.Repeat(0.5f, batch).ToArray();
        int[] c = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            a[i] = x[i * 16] * 0.1f;
            c[i] = i % 4;
        }

CS
            if [[ "$variant" == "nan-handling" ]]; then
                cat <<CS
        for (int i = 0; i < batch; i++)
        {
            b[i] = x[i * 16 + 1] < 0f ? float.NaN : b[i];
        }

        for (int i = 0; i < batch; i++)
        {
            if (float.IsNaN(b[i]))
            {
                b[i] = 0f;
            }
        }

        float[]? extra = null;
        if (File.Exists(path + ".extra"))
        {
            extra = File.ReadAllLines(path + ".extra").Select(float.Parse).ToArray();
        }

        a = extra ?? a;
CS
            fi
            cat <<CS
        Array.Fill(a, 1f, 0, batch / 2);
        float total = net.TrainOnAAndBAndC(x, a, b, c).Total;
        total += net.TrainOnAAndB(x, a, b).Total;
        total += net.TrainOnC(x, c).Total;
        total += net.TrainOnBAndC(c: c, b: b, x: x).Total;
        total += net.PredictA(x)[0];
        return total;
    }

CS
        done
        echo '}'
    } > "$work/Training.cs"
}

# Prints "wall-seconds csc-milliseconds" for one build with (true) or without (false) the analyzers.
build() {
    local analyzers="$1"
    touch "$work/Training.cs"
    local start end log
    log="$work/build-$analyzers.log"
    start=$(date +%s.%N)
    dotnet build "$work/BuildTime.csproj" -c Release --no-restore -nologo -v:n -clp:PerformanceSummary \
        -p:UsageAnalyzers="$analyzers" >"$log" 2>&1
    end=$(date +%s.%N)
    if grep -q "MG1" "$log" || grep -q " error " "$log"; then
        echo "The generated project has diagnostics; see $log" >&2
        grep -E "MG1| error " "$log" | head >&2
        exit 1
    fi
    local csc
    csc=$(grep -E '^\s+[0-9]+ ms\s+Csc\s' "$log" | awk '{print $1}' | head -1)
    echo "$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}') ${csc:-0}"
}

# Prints the analyzer's own execution time in seconds, as the compiler reports it with ReportAnalyzer.
analyzer_time() {
    touch "$work/Training.cs"
    dotnet build "$work/BuildTime.csproj" -c Release --no-restore -nologo -v:d -p:UsageAnalyzers=true -p:ReportAnalyzer=true \
        | grep -E 'ModelGen.Analyzers.TrainingCallAnalyzer' | awk '{print $1}' | head -1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.1f%%", (b - a) * 100 / a}'; }

dotnet restore "$work/BuildTime.csproj" -v:q -nologo >/dev/null
for variant in plain nan-handling; do
    write_training "$variant"

    # Warm-up: the first builds start the compiler server and load the analyzers.
    build false >/dev/null
    build true >/dev/null

    : > "$work/without.txt"
    : > "$work/with.txt"
    for run in $(seq 1 "$runs"); do
        build false >> "$work/without.txt"
        build true >> "$work/with.txt"
        echo "$variant run $run: without $(tail -1 "$work/without.txt"), with $(tail -1 "$work/with.txt") (wall s, Csc ms)" >&2
    done

    : > "$work/analyzer.txt"
    for run in 1 2 3; do
        analyzer_time >> "$work/analyzer.txt"
    done

    wall_without=$(cut -d' ' -f1 "$work/without.txt" | median)
    wall_with=$(cut -d' ' -f1 "$work/with.txt" | median)
    csc_without=$(cut -d' ' -f2 "$work/without.txt" | median)
    csc_with=$(cut -d' ' -f2 "$work/with.txt" | median)

    echo "variant $variant: 50 calls, $runs runs per configuration, medians"
    echo "  dotnet build wall time: without ${wall_without} s, with ${wall_with} s, $(percent "$wall_without" "$wall_with")"
    echo "  Csc task time:          without ${csc_without} ms, with ${csc_with} ms, $(percent "$csc_without" "$csc_with")"
    echo "  TrainingCallAnalyzer time reported by the compiler (median of 3): $(median < "$work/analyzer.txt") s"
done
