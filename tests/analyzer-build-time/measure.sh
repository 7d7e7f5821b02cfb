#!/usr/bin/env bash
# Measures how much the ModelGen usage analyzers add to the build of a project with 50 training calls.
#
# Usage: tests/analyzer-build-time/measure.sh [runs]   (default: 7 runs of each configuration)
#
# The script builds the runtime, the generator and the analyzers in Release. It writes a small project into a
# temporary directory: a three-head model and 10 methods with 5 training calls each. Then it compiles
# the project repeatedly, alternating a build without the analyzers and one with them. Every build recompiles
# (a source file is touched first), and both configurations run the ModelGen generator. This is done for two
# variants of the methods (see write_training) and two ways of running the compiler (see build). For each it
# prints the medians of the build wall time and the Csc task time (with the compiler server) or of the build's
# CPU time (without it), and the analyzer's own execution time as the compiler reports it (ReportAnalyzer).
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

# Writes Training.cs: 10 methods x 5 calls = 50 training calls. Variant 'plain' contains no null or NaN
# constant, so the analyzer only scans each method. Variant 'nan-handling' writes NaN for missing labels,
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
        total += net.TrainOnA(x, a).Total;
        return total;
    }

CS
        done
        echo '}'
    } > "$work/Training.cs"
}

# Prints "wall-seconds csc-milliseconds cpu-seconds" for one build with (true) or without (false) the
# analyzers. Mode 'server' uses the warm compiler server, as repeated builds on a developer machine do, so
# the CPU time of the compilation is not in this process tree. Mode 'standalone' runs csc as a child process
# without node reuse, so cpu-seconds (user + sys of the whole build) counts the compilation too. On a shared
# machine that varies less than wall time.
build() {
    local analyzers="$1" mode="$2"
    local flags=()
    if [[ "$mode" == "standalone" ]]; then
        flags=(-p:UseSharedCompilation=false -nodeReuse:false -m:1)
    fi

    touch "$work/Training.cs"
    local log="$work/build-$analyzers.log"
    local start end cpu
    start=$(date +%s.%N)
    cpu=$( { TIMEFORMAT='%U %S'; time dotnet build "$work/BuildTime.csproj" -c Release --no-restore -nologo -v:n \
        -clp:PerformanceSummary -p:UsageAnalyzers="$analyzers" "${flags[@]}" >"$log" 2>&1; } 2>&1 )
    end=$(date +%s.%N)
    if grep -q "MG1" "$log" || grep -q " error " "$log"; then
        echo "The generated project has diagnostics; see $log" >&2
        grep -E "MG1| error " "$log" | head >&2
        exit 1
    fi

    local csc
    csc=$(grep -E '^\s+[0-9]+ ms\s+Csc\s' "$log" | awk '{print $1}' | head -1)
    awk -v s="$start" -v e="$end" -v c="${csc:-0}" -v cpu="$cpu" \
        'BEGIN {split(cpu, t, " "); printf "%.3f %d %.2f\n", e - s, c, t[1] + t[2]}'
}

# Prints the analyzer's own execution time in seconds, as the compiler reports it with ReportAnalyzer.
analyzer_time() {
    touch "$work/Training.cs"
    dotnet build "$work/BuildTime.csproj" -c Release --no-restore -nologo -v:d -p:UsageAnalyzers=true -p:ReportAnalyzer=true \
        | grep -E 'ModelGen.Analyzers.TrainingCallAnalyzer' | awk '{print $1}' | head -1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.1f%%", (b - a) * 100 / a}'; }

# Prints one line comparing column $2 (1: wall s, 2: Csc ms, 3: CPU s) of the two result files.
compare() {
    local label="$1" column="$2" unit="$3" without with
    without=$(cut -d' ' -f"$column" "$work/without.txt" | median)
    with=$(cut -d' ' -f"$column" "$work/with.txt" | median)
    printf '  %-34s without %8s %s, with %8s %s, %s\n' "$label" "$without" "$unit" "$with" "$unit" "$(percent "$without" "$with")"
}

dotnet restore "$work/BuildTime.csproj" -v:q -nologo >/dev/null
for variant in plain nan-handling; do
    write_training "$variant"
    echo "variant $variant: 50 calls, $runs runs per configuration, medians"
    for mode in server standalone; do
        # Warm-up: the first builds start the compiler server and load the analyzers.
        build false "$mode" >/dev/null
        build true "$mode" >/dev/null

        : > "$work/without.txt"
        : > "$work/with.txt"
        for run in $(seq 1 "$runs"); do
            build false "$mode" >> "$work/without.txt"
            build true "$mode" >> "$work/with.txt"
            echo "$variant $mode run $run: without $(tail -1 "$work/without.txt"), with $(tail -1 "$work/with.txt") (wall s, Csc ms, CPU s)" >&2
        done

        if [[ "$mode" == "server" ]]; then
            compare "compiler server, build wall time:" 1 s
            compare "compiler server, Csc task time:" 2 ms
        else
            compare "standalone csc, build CPU time:" 3 s
        fi
    done

    : > "$work/analyzer.txt"
    for run in 1 2 3; do
        analyzer_time >> "$work/analyzer.txt"
    done

    echo "  TrainingCallAnalyzer time reported by the compiler (median of 3 builds): $(median < "$work/analyzer.txt") s"
done
