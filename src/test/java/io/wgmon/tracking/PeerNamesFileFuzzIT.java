package io.wgmon.tracking;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Any bytes as the names file: names, or the {@link IOException} of reading it (text that is not
 * UTF-8), nothing else; and a private or preshared key of the file never becomes a key or a name
 * (docs/architecture.md#packages, docs/architecture.md#tracking).
 */
class PeerNamesFileFuzzIT {
    private final Path file = temporaryFile();

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] contents) throws IOException {
        Files.write(file, contents);
        try {
            PeerNamesFile.load(file);
        } catch (IOException unreadable) {
            return;
        }
        Map<String, String> names = PeerNamesFile.parse(Files.readAllLines(file));
        String text = new String(contents, StandardCharsets.UTF_8);
        for (String secret : secretsIn(Files.readAllLines(file))) {
            if (text.indexOf(secret) != text.lastIndexOf(secret)) {
                continue; // the same text also stands somewhere a key or a name may come from
            }
            assertFalse(names.containsKey(secret), "a secret key kept as a peer key");
            assertFalse(names.values().stream().anyMatch(name -> name.contains(secret)), "a secret key kept in a name");
        }
    }

    /** The values of PrivateKey and PresharedKey lines, "Key = value" as wg-quick writes them. */
    private static List<String> secretsIn(List<String> lines) {
        List<String> secrets = new ArrayList<>();
        for (String line : lines) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = line.substring(0, equals).strip();
            if (key.equalsIgnoreCase("PrivateKey") || key.equalsIgnoreCase("PresharedKey")) {
                String value = line.substring(equals + 1).strip();
                if (!value.isEmpty()) {
                    secrets.add(value);
                }
            }
        }
        return secrets;
    }

    private static Path temporaryFile() {
        try {
            Path path = Files.createTempFile("wgmon-names-fuzz", ".conf");
            path.toFile().deleteOnExit();
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
