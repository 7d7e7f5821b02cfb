using System;
using ModelGen.Bench;

if (args.Length > 0 && args[0] == "--probe")
{
    Probe.Run(args[1..]);
    return;
}

Console.WriteLine("TODO");
