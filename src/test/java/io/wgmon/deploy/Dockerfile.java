package io.wgmon.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile's instructions by stage: continuation lines joined, comments dropped. Enough to
 * check what each stage copies and runs; shell-form COPY only (the form this project writes).
 */
record Dockerfile(List<Stage> stages) {
    static final Path JVM = Path.of("src/main/docker/Dockerfile.jvm");

    record Instruction(String keyword, String arguments) {
        List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }

        @Override
        public String toString() {
            return keyword + " " + arguments;
        }
    }

    /** COPY [--flag=value ...] source... destination */
    record Copy(List<String> flags, List<String> sources, String destination) {
        static Copy of(Instruction copy) {
            if (copy.arguments().trim().startsWith("[")) {
                throw new AssertionError("JSON-form COPY is not read by this test: " + copy);
            }
            List<String> words = copy.words();
            List<String> flags = words.stream().takeWhile(word -> word.startsWith("--")).toList();
            List<String> paths = words.subList(flags.size(), words.size());
            return new Copy(flags, paths.subList(0, paths.size() - 1), paths.get(paths.size() - 1));
        }

        boolean fromContext() {
            return flags.stream().noneMatch(flag -> flag.startsWith("--from="));
        }
    }

    record Stage(String name, String base, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
        }

        List<Copy> copies() {
            return all("COPY").stream().map(Copy::of).toList();
        }
    }

    static Dockerfile parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String text = pending.append(trimmed).toString();
            pending.setLength(0);
            String[] parts = text.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                current = new ArrayList<>();
                stages.add(new Stage(name, words.get(0), current));
            } else if (current == null && !instruction.keyword().equals("ARG")) {
                throw new AssertionError(file + ": " + instruction.keyword() + " before the first FROM");
            } else if (current != null) {
                current.add(instruction);
            }
        }
        return new Dockerfile(stages.stream()
                .map(stage -> new Stage(stage.name(), stage.base(), List.copyOf(stage.instructions()))).toList());
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }

    Stage named(String name) {
        return stages.stream().filter(stage -> name.equals(stage.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name));
    }
}
