package im.client.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes profiles under the home directory. Files hold tokens, so they are written
 * owner-only where the file system knows permissions, and replaced atomically so an interrupted
 * write never leaves half a profile.
 */
final class ProfileStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** A profile is a handful of short strings; a bigger file is not one of ours. */
    private static final long MAX_PROFILE_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path home;

    ProfileStore(Path home) {
        this.home = home;
    }

    Path file(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CliException("bad profile name '" + name + "': use 1..64 of letters, digits, '.', '_', '-'");
        }
        return home.resolve(name + ".json");
    }

    Optional<Profile> load(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > MAX_PROFILE_BYTES) {
                throw new CliException("profile " + file + " is too large to be a profile");
            }
            return Optional.of(JSON.readValue(file.toFile(), Profile.class));
        } catch (IOException e) {
            throw new CliException("cannot read profile " + file + ": " + e.getMessage(), e);
        }
    }

    /** The profile, or a fresh one with a new device id (not yet saved). */
    Profile loadOrCreate(String name) {
        return load(name).map(p -> p.deviceId() == null
                ? new Profile(p.server(), p.usersServer(), p.push(), p.userId(), p.username(), newDeviceId(),
                        p.accessToken(), p.refreshToken(), p.caCert(), p.pin())
                : p).orElseGet(() -> new Profile(null, null, null, null, null, newDeviceId(), null, null, null, null));
    }

    void save(String name, Profile profile) {
        Path file = file(name);
        try {
            Files.createDirectories(home);
            Path tmp = home.resolve(name + ".json.tmp");
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            Files.write(tmp, JSON.writeValueAsBytes(profile));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write profile " + file, e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // Deleted just before; a concurrent writer of the same profile is the only way here.
            throw e;
        }
    }

    /** A device id for a new profile: random, so two profiles on one machine are two devices. */
    static String newDeviceId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "cli-" + HexFormat.of().formatHex(bytes);
    }
}
