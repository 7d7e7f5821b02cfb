// Types the C# compiler needs for records and init accessors, which netstandard2.0 does not define.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
