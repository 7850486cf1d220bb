using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Paylink.Assistant.Intents;

/// <summary>One row for the ML.NET pipeline: the model text (see <see cref="Text.MessageText.ToModelText"/>) and, when training, its label.</summary>
public sealed class IntentInput
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>What the trained pipeline returns: the label and one probability per class.</summary>
public sealed class IntentOutput
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}

/// <summary>
/// The trained linear intent classifier (ML.NET: word and character n-grams, maximum-entropy).
/// Loaded once; <see cref="Predict"/> is thread-safe (one PredictionEngine per thread, since an engine is not).
/// </summary>
public sealed class IntentModel : IDisposable
{
    /// <summary>Name of the model embedded in this assembly (built from Model/intent-model.zip).</summary>
    public const string ResourceName = "Paylink.Assistant.intent-model.zip";

    private static readonly Lazy<IntentModel> Shipped = new(() => LoadEmbedded(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly ThreadLocal<PredictionEngine<IntentInput, IntentOutput>> _engines;
    private readonly object _createLock = new();

    private IntentModel(MLContext ml, ITransformer model)
    {
        _ml = ml;
        _model = model;
        _engines = new ThreadLocal<PredictionEngine<IntentInput, IntentOutput>>(() =>
        {
            // Creating engines touches shared pipeline state; predicting with one's own engine does not.
            lock (_createLock) return _ml.Model.CreatePredictionEngine<IntentInput, IntentOutput>(_model);
        }, trackAllValues: true);
    }

    /// <summary>The model shipped with Paylink, loaded on first use and shared by all callers.</summary>
    public static IntentModel Default => Shipped.Value;

    /// <summary>Loads a model saved by <see cref="Training.IntentTrainer"/>.</summary>
    public static IntentModel Load(Stream stream)
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(stream, out _);
        return new IntentModel(ml, model);
    }

    /// <summary>Loads the model embedded in this assembly; fails clearly when the build shipped none.</summary>
    public static IntentModel LoadEmbedded()
    {
        using var stream = typeof(IntentModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"The intent model '{ResourceName}' is not embedded in {typeof(IntentModel).Assembly.GetName().Name}. Train it with scripts/train-intent-model.sh.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return Load(copy);
    }

    /// <summary>The most likely intent for a model text and its probability (0..1). Safe to call from many threads.</summary>
    public (Intent Intent, double Confidence) Predict(string modelText)
    {
        var output = _engines.Value!.Predict(new IntentInput { Text = modelText });
        var confidence = output.Score.Length == 0 ? 0 : output.Score.Max();
        var intent = IntentNames.TryParse(output.PredictedLabel, out var parsed) ? parsed : Intent.Other;
        return (intent, Math.Clamp(confidence, 0, 1));
    }

    public void Dispose()
    {
        foreach (var engine in _engines.Values) engine.Dispose();
        _engines.Dispose();
    }
}
