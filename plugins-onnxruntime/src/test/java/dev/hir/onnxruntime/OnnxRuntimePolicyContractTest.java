package dev.hir.onnxruntime;

import dev.hir.api.Policy;
import dev.hir.api.PolicyFactory;
import dev.hir.testkit.PolicyContract;
import dev.hir.testkit.TestingPluginContext;

/** The shared policy contract, on the tiny GPT-2 checkpoint of the Python fixture, exported by this plugin. */
class OnnxRuntimePolicyContractTest extends PolicyContract {
    @Override
    protected PolicyFactory<?> factory() {
        return new OnnxRuntimePolicyFactory();
    }

    @Override
    protected Policy createPolicy() {
        return new OnnxRuntimePolicyFactory().create(
                OnnxRuntimePolicyConfig.ofCheckpoint(PythonFixture.dir().toString()), TestingPluginContext.create());
    }
}
