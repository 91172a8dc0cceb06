package dev.dinggate.budget;

/** Nothing shared: each process has budgets of its own (the sandbox, {@code dingtalk.rate-limit.shared=false}). */
final class InMemoryBudgets implements Budgets {

    private final LocalBudgets buckets;
    private final int fallbackReplicas;

    InMemoryBudgets(LocalBudgets buckets, int fallbackReplicas) {
        this.buckets = buckets;
        this.fallbackReplicas = fallbackReplicas;
    }

    @Override
    public <T> T use(Kind kind, String key, Limits limits, BucketOperation<T> operation) throws InterruptedException {
        return operation.apply(buckets.bucket(key, limits.fleet()));
    }

    @Override
    public BudgetState state() {
        return new BudgetState("local", fallbackReplicas, null, null);
    }
}
