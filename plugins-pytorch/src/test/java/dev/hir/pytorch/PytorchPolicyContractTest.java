package dev.hir.pytorch;

import dev.hir.api.Policy;
import dev.hir.api.PolicyFactory;
import dev.hir.pytorch.testing.TinyTokenizer;
import dev.hir.testkit.PolicyContract;
import dev.hir.testkit.TestingPluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared policy contract, on a tiny random GPT-2 (2 layers, width 32) with a byte-level tokenizer. */
class PytorchPolicyContractTest extends PolicyContract {
    @TempDir
    static Path dir;

    @Override
    protected PolicyFactory<?> factory() {
        return new PytorchPolicyFactory();
    }

    @Override
    protected Policy createPolicy() {
        try {
            Path tokenizer = dir.resolve("tokenizer.json");
            if (!Files.exists(tokenizer)) {
                TinyTokenizer.write(tokenizer);
            }
            var config = PytorchPolicyConfig.fresh(tokenizer.toString(), new PytorchPolicyConfig.Init(2, 32, 4, 64), 17);
            return new PytorchPolicyFactory().create(config, new TestingPluginContext(1, dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
