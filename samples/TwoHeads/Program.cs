using System;
using TwoHeads;

var net = new TwoHeadNet();
var x = new float[4 * 32];
for (int i = 0; i < x.Length; i++) x[i] = (i % 7) * 0.1f;
var l = net.TrainOnOutput2(x, new float[] { 1, 2, 3, 4 });
Console.WriteLine(l);
