using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Paylink.Assistant.Llm;
using Paylink.Core.Jobs;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;

namespace Paylink.Assistant.Conversations;

public static class PaylinkAssistant
{
    /// <summary>
    /// The chat assistant takes over client messages (replacing the default "wait for the manager" handler):
    /// the understanding (rules + shipped model, with the optional language model of <c>Assistant:Llm</c>),
    /// the conversation backend and the <c>assistant.reply</c> job. Call after <c>AddPaylinkCore</c>.
    /// </summary>
    public static IServiceCollection AddPaylinkAssistant(this IServiceCollection services, IConfiguration config)
    {
        var llm = config.GetSection(LlmFallbackOptions.Section).Get<LlmFallbackOptions>() ?? new LlmFallbackOptions();
        services.AddSingleton(_ => MessageAnalyzer.CreateDefault());
        services.AddSingleton<IMessageUnderstanding>(sp =>
        {
            var rules = sp.GetRequiredService<MessageAnalyzer>();
            if (!llm.Enabled) return rules;
            return new LlmAssistedAnalyzer(rules, LlmAssistedAnalyzer.CreateChatClient(llm), llm,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<LlmAssistedAnalyzer>());
        });
        services.AddScoped<ConversationBackend>();
        services.AddScoped<ChatConsent>();
        services.Replace(ServiceDescriptor.Scoped<IConversationHandler, AssistantConversationHandler>());
        services.AddJobHandler<AssistantReply>(AssistantReply.JobType, AssistantReply.Policy);
        services.AddJobHandler<PaidInChat>(PaidInChat.JobType, PaidInChat.Policy);
        services.AddLinkEventReaction<PaidInChatReaction>();
        return services;
    }
}
