package io.wgmon.tracking;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Friendly names read from a file: either a wg-quick configuration where a
 * {@code # friendly_name = alice} or {@code # friendly_json = {"name": "alice", ...}} comment stands
 * above or inside a {@code [Peer]} section (the convention of prometheus_wireguard_exporter), or lines
 * of {@code <public key> = <name>}. Of a friendly_json object the name is its {@code friendly_name},
 * {@code name} or {@code username} field, in that order; JSON that is not such an object is skipped.
 * Any private or preshared key in the file is read past, never kept.
 * <p>
 * Expectations (docs/architecture.md#expectations) ride along: a {@code # wgmon_expect = always-on grace=10m}
 * comment placed as a friendly_name comment is, or a bracketed group after a name,
 * {@code <public key> = alice [always-on grace=10m]}; a bracket that does not begin with {@code always-on}
 * or {@code roaming} stays part of the name.
 */
public final class PeerNamesFile {
    private static final Pattern FRIENDLY = Pattern.compile("#\\s*friendly_name\\s*=\\s*(.+?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FRIENDLY_JSON = Pattern.compile("#\\s*friendly_json\\s*=\\s*(.+?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PUBLIC_KEY = Pattern.compile("PublicKey\\s*=\\s*([A-Za-z0-9+/]{43}=)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPECT = Pattern.compile("#\\s*wgmon_expect\\s*=\\s*(.+?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME_AND_EXPECT = Pattern.compile("(.*?)\\s*\\[\\s*((?:always-on|roaming)\\b[^\\]]*)]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_NAME = Pattern.compile("([A-Za-z0-9+/]{43}=)\\s*=\\s*(.+?)\\s*");
    private static final List<String> JSON_NAME_FIELDS = List.of("friendly_name", "name", "username");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PeerNamesFile() {
    }

    /**
     * What the files say: names, expectations, and each bad expectation as one line.
     *
     * @param expectations a grace is null where the file gave none
     */
    public record Content(Map<String, String> names, Map<String, Expectation> expectations, List<String> problems) {
        public Content {
            names = Map.copyOf(names);
            expectations = Map.copyOf(expectations);
            problems = List.copyOf(problems);
        }
    }

    public static PeerNames load(Path file) throws IOException {
        Map<String, String> names = read(List.of(file));
        return key -> names.get(key.publicKey());
    }

    /** The names of all files; a key named in two files gets the later file's name. */
    public static Map<String, String> read(List<Path> files) throws IOException {
        return readAll(files).names();
    }

    /** Names and expectations of all files; a key named or marked in two files gets the later file's. */
    public static Content readAll(List<Path> files) throws IOException {
        Map<String, String> names = new HashMap<>();
        Map<String, Expectation> expectations = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            Content content = parseAll(Files.readAllLines(file));
            names.putAll(content.names());
            expectations.putAll(content.expectations());
            content.problems().forEach(problem -> problems.add(file + ": " + problem));
        }
        return new Content(names, expectations, problems);
    }

    static Map<String, String> parse(List<String> lines) {
        return parseAll(lines).names();
    }

    static Content parseAll(List<String> lines) {
        Map<String, String> names = new HashMap<>();
        Map<String, Expectation> expectations = new HashMap<>();
        List<String> problems = new ArrayList<>();
        String pending = null;
        Expectation pendingExpect = null;
        boolean inPeer = false;
        String sectionKey = null;
        String sectionName = null;
        Expectation sectionExpect = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            Matcher m;
            String friendly = null;
            Expectation expect = null;
            if (line.startsWith("[")) {
                inPeer = line.equalsIgnoreCase("[Peer]");
                sectionKey = null;
                sectionName = inPeer ? pending : null;
                sectionExpect = inPeer ? pendingExpect : null;
                pending = null;
                pendingExpect = null;
                continue;
            } else if ((m = FRIENDLY.matcher(line)).matches()) {
                friendly = m.group(1);
            } else if ((m = FRIENDLY_JSON.matcher(line)).matches()) {
                friendly = nameInJson(m.group(1));
            } else if ((m = EXPECT.matcher(line)).matches()) {
                expect = expectation(m.group(1), number, problems);
            } else if (inPeer && (m = PUBLIC_KEY.matcher(line)).matches()) {
                sectionKey = m.group(1);
                if (sectionName != null) {
                    names.put(sectionKey, sectionName);
                }
                if (sectionExpect != null) {
                    expectations.put(sectionKey, sectionExpect);
                }
            } else if ((m = KEY_NAME.matcher(line)).matches()) {
                String name = m.group(2);
                Matcher marked = NAME_AND_EXPECT.matcher(name);
                if (name.endsWith("]") && marked.matches()) {
                    name = marked.group(1);
                    expectations.put(m.group(1), expectation(marked.group(2), number, problems));
                }
                if (!name.isEmpty()) {
                    names.put(m.group(1), name);
                }
            }
            // inside a [Peer] before its key: that peer; otherwise: the next [Peer]
            boolean thisSection = inPeer && sectionKey == null;
            if (friendly != null) {
                if (thisSection) {
                    sectionName = friendly;
                } else {
                    pending = friendly;
                }
            }
            if (expect != null) {
                if (thisSection) {
                    sectionExpect = expect;
                } else {
                    pendingExpect = expect;
                }
            }
        }
        return new Content(names, expectations, problems);
    }

    private static Expectation expectation(String text, int line, List<String> problems) {
        ExpectationSyntax.Parsed parsed = ExpectationSyntax.parse(text);
        if (parsed.problem() != null) {
            problems.add("line " + line + ": " + parsed.problem());
        }
        return parsed.expectation();
    }

    private static String nameInJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                return null;
            }
            for (String field : JSON_NAME_FIELDS) {
                JsonNode value = node.get(field);
                if (value != null && value.isValueNode() && !value.asText().isBlank()) {
                    return value.asText().strip();
                }
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
