package io.wgmon;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every citation of the design document (its path, '#' and an anchor) in the code, the
 * docs, the README, the deployment files and the scripts names an anchor the document has (an
 * {@code <a id="...">} or a heading's slug), and none cites a numbered section: renaming or
 * removing a section fails here instead of leaving readers at a dead reference.
 */
class DesignCitationsTest {
    private static final Path DOCUMENT = Path.of("docs/architecture.md");
    private static final List<Path> CITING = List.of(Path.of("src"), Path.of("docs"), Path.of("README.md"),
            Path.of("deploy"), Path.of("scripts"), Path.of("bench"));
    private static final Pattern CITATION = Pattern.compile("architecture\\.md(#[A-Za-z0-9_-]*|\\s*§)?");
    private static final Pattern ID = Pattern.compile("<a id=\"([^\"]+)\"");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+)$", Pattern.MULTILINE);
    private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(#([^)]+)\\)");

    @Test
    void everyCitationResolvesToAnAnchorOfTheDocument() throws IOException {
        String document = Files.readString(DOCUMENT);
        Set<String> anchors = anchors(document);
        List<String> broken = new ArrayList<>();
        for (Path root : CITING) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    broken.addAll(brokenCitations(file.toString(), Files.readAllBytes(file), anchors));
                }
            }
        }
        Matcher local = LOCAL_LINK.matcher(document);
        while (local.find()) {
            if (!anchors.contains(local.group(1))) {
                broken.add(DOCUMENT + ": links to #" + local.group(1) + ", which it does not have");
            }
        }
        assertEquals(List.of(), broken, "anchors of " + DOCUMENT + ": " + anchors);
    }

    @Test
    void aCitationOfAMissingAnchorOrOfANumberedSectionIsReported() {
        Set<String> anchors = anchors("<a id=\"threads\"></a>\n## Threads and timers\n### The tracker\n");
        assertEquals(Set.of("threads", "threads-and-timers", "the-tracker"), anchors);

        String cited = "docs/architecture" + ".md"; // split, so this file cites nothing itself
        byte[] text = ("ok: " + cited + "#threads, " + cited + "#the-tracker, and " + cited + "\n"
                + "gone: " + cited + "#pipeline\nold: " + cited + " §7\n").getBytes(StandardCharsets.UTF_8);
        List<String> broken = brokenCitations("Example.java", text, anchors);

        assertEquals(2, broken.size(), broken.toString());
        assertTrue(broken.get(0).startsWith("Example.java:2: ") && broken.get(0).contains("#pipeline"), broken.get(0));
        assertTrue(broken.get(1).startsWith("Example.java:3: ") && broken.get(1).contains("numbered section"), broken.get(1));
    }

    /** The ids of {@code <a id>} elements, and the GitHub slug of every heading. */
    static Set<String> anchors(String document) {
        Set<String> anchors = new TreeSet<>();
        Matcher id = ID.matcher(document);
        while (id.find()) {
            anchors.add(id.group(1));
        }
        Matcher heading = HEADING.matcher(document);
        while (heading.find()) {
            anchors.add(heading.group(1).strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    static List<String> brokenCitations(String file, byte[] content, Set<String> anchors) {
        List<String> broken = new ArrayList<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher citation = CITATION.matcher(lines[i]);
            while (citation.find()) {
                String target = citation.group(1);
                if (target == null) {
                    continue; // the document as a whole
                }
                if (target.strip().startsWith("§")) {
                    broken.add(file + ":" + (i + 1) + ": cites a numbered section; cite an anchor: " + lines[i].strip());
                } else if (!anchors.contains(target.substring(1))) {
                    broken.add(file + ":" + (i + 1) + ": cites " + target + ", an anchor the design document does not have");
                }
            }
        }
        return broken;
    }
}
