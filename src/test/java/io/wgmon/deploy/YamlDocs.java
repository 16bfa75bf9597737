package io.wgmon.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** YAML files read by SnakeYAML into maps, lists and scalars, with a path lookup that names what is missing. */
final class YamlDocs {
    private YamlDocs() {
    }

    static List<Map<String, Object>> documents(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                documents.add(asMap(document, file.toString()));
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no document of kind " + kind));
    }

    /** The node at a path of map keys (String) and list indexes (Integer); fails naming the path when absent. */
    static Object at(Object node, Object... path) {
        Object current = node;
        StringBuilder walked = new StringBuilder();
        for (Object step : path) {
            walked.append('/').append(step);
            if (step instanceof Integer index && current instanceof List<?> list && index < list.size()) {
                current = list.get(index);
            } else if (step instanceof String key && current instanceof Map<?, ?> map && map.containsKey(key)) {
                current = map.get(key);
            } else {
                throw new AssertionError("nothing at " + walked);
            }
        }
        return current;
    }

    static boolean has(Object node, Object... path) {
        try {
            at(node, path);
            return true;
        } catch (AssertionError absent) {
            return false;
        }
    }

    static Map<String, Object> map(Object node, Object... path) {
        return asMap(at(node, path), String.valueOf(List.of(path)));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, Object... path) {
        Object value = at(node, path);
        if (!(value instanceof List<?>)) {
            throw new AssertionError(List.of(path) + " is not a list: " + value);
        }
        return (List<Object>) value;
    }

    static String string(Object node, Object... path) {
        return String.valueOf(at(node, path));
    }

    /** The entry of a list of maps whose {@code name} is the given one. */
    static Map<String, Object> named(List<Object> entries, String name) {
        return entries.stream().map(entry -> asMap(entry, name))
                .filter(entry -> name.equals(entry.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + entries));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node, String where) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError(where + " is not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }
}
