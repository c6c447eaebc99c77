package dev.hir.core.run;

import dev.hir.api.Example;
import dev.hir.api.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A content hash of a task's splits, for the manifest: two runs with equal hashes saw the same data. */
final class TaskDigest {
    private TaskDigest() {}

    static String sha256(Task task) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var split : Task.Split.values()) {
                md.update(split.name().getBytes(StandardCharsets.UTF_8));
                for (Example e : task.split(split)) {
                    for (String s : new String[] {e.id(), e.input(), e.target(), String.join("\u0001", e.options())}) {
                        md.update(s.getBytes(StandardCharsets.UTF_8));
                        md.update((byte) 0);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
