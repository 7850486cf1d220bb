using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Jobs;
using Paylink.Core.Providers;
using Paylink.Providers.Crm.Bitrix24;
using Paylink.Providers.Channels.Email;
using Paylink.Providers.Channels;
using Paylink.Providers.Channels.Exolve;
using Paylink.Providers.Channels.Max;
using Paylink.Providers.Channels.Telegram;
using Paylink.Providers.Channels.Vk;
using Paylink.Providers.Channels.WebChat;
using Paylink.Providers.Gateways;
using Paylink.Providers.Gateways.Sandbox;
using Paylink.Providers.Gateways.Stripe;
using Paylink.Providers.Gateways.TBank;
using Paylink.Providers.Gateways.YooKassa;
using Paylink.Providers.Receipts.MoyNalog;

namespace Paylink.Providers;

/// <summary>Registers every provider with its registry. Adding a provider is one line here.</summary>
public static class PaylinkProviders
{
    public static IServiceCollection AddPaylinkProviders(this IServiceCollection services)
    {
        services.AddSingleton<IPaymentGateway, SandboxGateway>();
        services.AddScoped<SandboxAcquirer>();
        services.AddJobHandler<SandboxNotifyHandler>(SandboxNotifyHandler.JobType, SandboxNotifyHandler.Policy);
        services.AddHttpClient(SandboxAcquirer.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));

        services.AddOptions<Core.Common.OutboundOptions>().BindConfiguration(Core.Common.OutboundOptions.Section);
        services.AddOptions<GatewayHttpOptions>().BindConfiguration(GatewayHttpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<YooKassaOptions>().BindConfiguration(YooKassaOptions.Section);
        services.AddGatewayClient(TBankApi.ClientName);
        services.AddGatewayClient(YooKassaApi.ClientName);
        services.AddGatewayClient(StripeGateway.ClientName);
        services.AddSingleton<IPaymentGateway, TBankGateway>();
        services.AddSingleton<IPaymentGateway, YooKassaGateway>();
        services.AddSingleton<IPaymentGateway, StripeGateway>();

        services.AddOptions<Bitrix24Options>().BindConfiguration(Bitrix24Options.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Bitrix24RateLimiter>();
        services.AddSingleton<Bitrix24Client>();
        services.AddSingleton<ICrmConnector, Bitrix24Connector>();
        services.AddHttpClient(Bitrix24Client.HttpClientName, (sp, c) =>
                c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Bitrix24Options>>().Value.TimeoutSeconds))
            .AddOutboundGuard()
            // The webhook URL carries its secret code: never let the default handler log request URLs.
            .RemoveAllLoggers();
        services.AddGatewayClient(ExolveChannel.ClientName);
        services.AddSingleton<IMessageChannel, ExolveChannel>();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMessageChannel, EmailChannel>();
        // Messaging channels (looked up through ProviderRegistry<IMessageChannel>).
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddGatewayClient(TelegramApi.ClientName).RemoveAllLoggers();   // the bot token is part of the URL
        services.AddKeyedSingleton(TelegramChannel.ProviderId, (sp, _) =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelegramOptions>>().Value;
            return new ChannelSendLimiter(TimeProvider.System, TimeSpan.FromMilliseconds(o.PerChatIntervalMs), o.GlobalPerSecond);
        });
        services.AddSingleton<TelegramChannel>();
        services.AddSingleton<IMessageChannel>(sp => sp.GetRequiredService<TelegramChannel>());
        services.AddSingleton<IMessageChannel, WebChatChannel>();
        AddMax(services);
        AddVk(services);
        // Self-employed (НПД) receipts: the tax service's address is fixed (Receipts:MoyNalog:BaseUrl overrides it for tests).
        services.AddOptions<MoyNalogOptions>().BindConfiguration(MoyNalogOptions.Section)
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var u) && u.Scheme is "https" or "http", "Receipts:MoyNalog:BaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        // Passwords and tokens travel in bodies and headers; keep the default handler from logging anything of them.
        services.AddGatewayClient(MoyNalogReceipts.ClientName).RemoveAllLoggers();
        services.AddSingleton<ISelfEmployedReceipts, MoyNalogReceipts>();
        return services;
    }

    private static void AddMax(IServiceCollection services)
    {
        services.AddOptions<MaxOptions>().BindConfiguration(MaxOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.TrustedRootsPemPath) || File.Exists(o.TrustedRootsPemPath),
                "Channels:Max:TrustedRootsPemPath names a file that does not exist.")
            .ValidateOnStart();
        services.AddGatewayClient(MaxApi.ClientName).RemoveAllLoggers()
            // The Russian root (Минцифры) joins the chain check when configured; checks are never switched off.
            .ConfigurePrimaryHttpMessageHandler((handler, sp) =>
            {
                var path = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MaxOptions>>().Value.TrustedRootsPemPath;
                if (!string.IsNullOrEmpty(path)) MaxTrust.Apply(handler, MaxTrust.LoadRoots(path));
            });
        services.AddKeyedSingleton(MaxChannel.ProviderId, (sp, _) =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MaxOptions>>().Value;
            return new ChannelSendLimiter(TimeProvider.System, TimeSpan.FromMilliseconds(o.PerDialogIntervalMs), o.PerBotPerSecond);
        });
        services.AddSingleton<MaxChannel>();
        services.AddSingleton<IMessageChannel>(sp => sp.GetRequiredService<MaxChannel>());
        // Accounts without a webhook subscription are polled (GET /updates) by a periodic job.
        services.AddPeriodicTask<MaxLongPolling>(MaxLongPolling.Name, TimeSpan.FromSeconds(5));
    }

    private static void AddVk(IServiceCollection services)
    {
        services.AddOptions<VkOptions>().BindConfiguration(VkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddGatewayClient(VkApi.ClientName).RemoveAllLoggers();
        services.AddKeyedSingleton(VkChannel.ProviderId, (sp, _) =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<VkOptions>>().Value;
            return new ChannelSendLimiter(TimeProvider.System, TimeSpan.FromMilliseconds(o.PerDialogIntervalMs), o.PerCommunityPerSecond);
        });
        services.AddSingleton<IMessageChannel, VkChannel>();
    }

    /// <summary>Endpoints providers serve themselves (the sandbox acquirer's checkout page).</summary>
    public static IEndpointRouteBuilder MapPaylinkProviders(this IEndpointRouteBuilder app)
    {
        app.MapSandboxAcquirer();
        app.MapTelegramWebhook();
        app.MapMaxWebhook();
        app.MapVkCallback();
        return app;
    }
}
