#!/usr/bin/env bash
# Installs ModelGen as users do: packs it into a local folder, restores a fresh project outside the repository
# from that folder and nuget.org, builds and runs a two-head model, then checks that the package's analyzers
# reject a null training target.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
dotnet pack "$root/runtime/ModelGen.csproj" -c Release -o "$work/feed" -p:CI=true --nologo -v quiet

mkdir -p "$work/consumer"
cp "$here/Consumer.csproj" "$here/Program.cs" "$work/consumer/"
cat > "$work/consumer/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG

# A private package folder, so that a ModelGen package cached by an earlier run cannot stand in for this one.
export NUGET_PACKAGES="$work/packages"
cd "$work/consumer"
dotnet run -p:ModelGenVersion="$version" --nologo

if [ -f "$here/NullTarget.cs.txt" ]; then
    cp "$here/NullTarget.cs.txt" NullTarget.cs
    if dotnet build -p:ModelGenVersion="$version" --nologo > build.log 2>&1; then
        echo "The build with a null training target succeeded; the package's analyzers did not run." >&2
        exit 1
    fi
    diagnostic=$(sed -n 's#^// Expected diagnostic: ##p' "$here/NullTarget.cs.txt" | head -1)
    if ! grep -q "error $diagnostic" build.log; then
        echo "The build failed without the expected $diagnostic:" >&2
        cat build.log >&2
        exit 1
    fi
    echo "package consumer: a null target fails the build with $diagnostic, as expected"
fi
