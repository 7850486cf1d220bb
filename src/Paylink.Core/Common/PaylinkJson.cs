using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Paylink.Core.Common;

/// <summary>JSON as Paylink writes it to people and programs (API responses, CLI output).</summary>
public static class PaylinkJson
{
    /// <summary>camelCase, Cyrillic left readable, times as UTC with millisecond precision ("…T09:12:07.911Z"),
    /// which both databases store exactly, so a value reads back as it was written.</summary>
    public static readonly JsonSerializerOptions Output = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        };
        o.Converters.Add(new UtcMillisecondsConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }
}
