namespace Paylink.IntegrationTests.Gateways;

/// <summary>A test class that gets fresh wire-level fakes of T-Bank and YooKassa for each test.</summary>
public abstract class WithBankFakes : IAsyncLifetime
{
    protected FakeTBank Bank { get; private set; } = null!;
    protected FakeYooKassa Kassa { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bank = await FakeTBank.StartAsync();
        Kassa = await FakeYooKassa.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bank.DisposeAsync();
        await Kassa.DisposeAsync();
    }
}
