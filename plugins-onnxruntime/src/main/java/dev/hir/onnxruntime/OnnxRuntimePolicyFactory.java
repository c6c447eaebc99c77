package dev.hir.onnxruntime;

import dev.hir.api.PluginContext;
import dev.hir.api.Policy;
import dev.hir.api.PolicyFactory;

/**
 * The {@code onnxruntime} policy: GPT-2 checkpoints exported to ONNX and decoded with a KV cache on ONNX
 * Runtime; a rollout engine that follows the trainer through {@link dev.hir.api.ReloadablePolicy#reload}.
 */
public final class OnnxRuntimePolicyFactory implements PolicyFactory<OnnxRuntimePolicyConfig> {
    /** For {@link java.util.ServiceLoader}. */
    public OnnxRuntimePolicyFactory() {}

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public String description() {
        return "rollout engine on ONNX Runtime (CPU): exports GPT-2 checkpoints to ONNX, KV-cache sampling, reload = weight sync";
    }

    @Override
    public Class<OnnxRuntimePolicyConfig> configType() {
        return OnnxRuntimePolicyConfig.class;
    }

    @Override
    public Policy create(OnnxRuntimePolicyConfig config, PluginContext context) {
        return OnnxRuntimePolicy.create(config, context);
    }
}
