package io.wgmon.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local images standing in for the ones a manifest names, built with podman from the Dockerfile's
 * stages (their copies and metadata on an empty base: see {@link Dockerfile.Stage#standIn()}).
 * Image {@code .../wgmon} is the last stage, {@code .../wgmon-NAME} the stage NAME. Closing removes
 * them and gives back any tag they took over.
 */
final class StandInImages implements AutoCloseable {
    private final Map<String, String> builtByName = new LinkedHashMap<>();
    private final Map<String, String> previousByName = new LinkedHashMap<>();

    private StandInImages() {
    }

    static StandInImages tag(Dockerfile dockerfile, Set<String> imageNames, Path workDir) {
        StandInImages images = new StandInImages();
        try {
            for (String name : imageNames) {
                images.build(dockerfile, name, workDir);
            }
            return images;
        } catch (RuntimeException e) {
            images.close();
            throw e;
        }
    }

    static Dockerfile.Stage stageFor(Dockerfile dockerfile, String imageName) {
        String repository = imageName.substring(imageName.lastIndexOf('/') + 1).split(":")[0];
        return repository.equals("wgmon") ? dockerfile.last() : dockerfile.named(repository.substring("wgmon-".length()));
    }

    String id(String imageName) {
        return builtByName.get(imageName);
    }

    private void build(Dockerfile dockerfile, String name, Path workDir) {
        Path containerfile = workDir.resolve("Containerfile." + builtByName.size());
        try {
            Files.writeString(containerfile, stageFor(dockerfile, name).standIn());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            previousByName.put(name, Podman.run("image", "inspect", "--format", "{{.Id}}", name));
        } catch (RuntimeException absent) {
            // no image of that name yet: nothing to give back
        }
        // the project directory is the build context, with its .dockerignore, as for the real image
        List<String> output = Podman.run("build", "-q", "-f", containerfile.toString(), ".").lines().toList();
        String id = output.get(output.size() - 1);
        builtByName.put(name, id);
        Podman.run("tag", id, name);
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(builtByName.values())) {
            // an identical earlier build has the same id: that image is the one to give back
            if (!previousByName.containsValue(id)) {
                Podman.quietly("rmi", "--force", id);
            }
        }
        previousByName.forEach((name, id) -> Podman.quietly("tag", id, name));
    }
}
