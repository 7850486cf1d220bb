using Microsoft.ML;
using Microsoft.ML.Transforms.Text;

namespace Paylink.Assistant.Intents;

/// <summary>
/// Trains the intent classifier: FeaturizeText (word uni/bigrams + character 1–4-grams, L2-normalised)
/// into L-BFGS maximum entropy with mild L2 regularisation (the defaults underfit small sets: recipes §4).
/// Deterministic for a given input order (fixed seed).
/// </summary>
public static class IntentTrainer
{
    public sealed record Options(float L1 = 0f, float L2 = 0.01f, int CharNgram = 4, int WordNgram = 2);

    /// <summary>Fits the pipeline on (model text, intent name) rows and saves it as a zip to <paramref name="output"/>.</summary>
    public static void Train(IEnumerable<(string Text, string Label)> rows, Stream output, Options? options = null)
    {
        options ??= new Options();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new IntentInput { Text = r.Text, Label = r.Label }));
        var featurize = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.WordNgram, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.CharNgram, UseAllLengths = true },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("Features", featurize, nameof(IntentInput.Text)))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    L1Regularization = options.L1,
                    L2Regularization = options.L2,
                    NumberOfThreads = 1,
                }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        ml.Model.Save(model, data.Schema, output);
    }
}
