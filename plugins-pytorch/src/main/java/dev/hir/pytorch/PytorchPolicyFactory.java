package dev.hir.pytorch;

import dev.hir.api.PluginContext;
import dev.hir.api.Policy;
import dev.hir.api.PolicyFactory;

/**
 * The {@code pytorch} policy: a GPT-2-architecture model on DJL's PyTorch engine that samples, scores and
 * trains ({@link dev.hir.api.TrainablePolicy}).
 */
public final class PytorchPolicyFactory implements PolicyFactory<PytorchPolicyConfig> {
    /** For {@link java.util.ServiceLoader}. */
    public PytorchPolicyFactory() {}

    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public String description() {
        return "trainable GPT-2-architecture model on DJL PyTorch (CPU): KV-cache sampling, log-probs, HIR/NLL/GRPO training, HF checkpoints";
    }

    @Override
    public Class<PytorchPolicyConfig> configType() {
        return PytorchPolicyConfig.class;
    }

    @Override
    public Policy create(PytorchPolicyConfig config, PluginContext context) {
        return PytorchPolicy.create(config, context);
    }
}
