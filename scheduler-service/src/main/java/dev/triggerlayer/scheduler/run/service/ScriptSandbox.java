package dev.triggerlayer.scheduler.run.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Where and as whom a shell node's script runs. When the scheduler runs as root, every script runs
 * as an unprivileged user ({@code scheduler.runner.run-as}, {@code nobody} by default) through
 * {@code setpriv} with no new privileges and no supplementary groups, so it cannot read the
 * scheduler's environment ({@code /proc/<pid>/environ}), its configuration files or another run's
 * files; with {@code scheduler.runner.network=none} it also gets a network namespace of its own
 * ({@code unshare --net}), so nothing on the network is reachable. Each run gets a fresh directory
 * with a random name, mode 0700 and owned by the script's user, created (never reused) inside a
 * parent that must belong to the scheduler and be writable by nobody else, so nothing can be
 * planted in it and no symlink is followed. Hand-written: no library runs a child process as
 * another user; {@code setpriv} and {@code unshare} are util-linux, present on every Linux the
 * images use.
 */
@ApplicationScoped
public class ScriptSandbox {

    private static final Logger LOG = Logger.getLogger(ScriptSandbox.class);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PARENT = PosixFilePermissions.fromString("rwx--x--x");

    /** The user scripts run as; {@code uid < 0} when they run as the scheduler itself. */
    record Identity(String user, long uid, long gid) {
        boolean switches() {
            return uid >= 0;
        }
    }

    private final SchedulerConfig.Runner config;
    private final Path parent;
    private final SecureRandom random = new SecureRandom();
    private volatile Identity identity;

    public ScriptSandbox(SchedulerConfig config) {
        this.config = config.runner();
        this.parent = Path.of(this.config.workDir()).toAbsolutePath().normalize();
    }

    void start(@Observes StartupEvent event) {
        if (config.shellEnabled()) {
            prepare();
        }
    }

    /** Decides the identity and checks the parent directory; a deployment that cannot contain scripts does not start. */
    synchronized Identity prepare() {
        if (identity != null) {
            return identity;
        }
        boolean root = currentUid() == 0;
        String user = config.runAs().orElse(root ? "nobody" : System.getProperty("user.name"));
        Identity id;
        if (root) {
            id = new Identity(user, idOf(user, "-u"), idOf(user, "-g"));
            if (id.uid() == 0) {
                throw new IllegalStateException("scheduler.runner.run-as=" + user + " is root; scripts never run as root.");
            }
        } else {
            if (!user.equals(System.getProperty("user.name"))) {
                throw new IllegalStateException("scheduler.runner.run-as=" + user + " needs the scheduler to run as root, to switch users.");
            }
            if (config.network().equals("none")) {
                throw new IllegalStateException("scheduler.runner.network=none needs the scheduler to run as root.");
            }
            LOG.warnf("scripts run as the scheduler's own user %s: they can read what it can read. Run the scheduler as root "
                    + "(scripts then run as an unprivileged user) or keep shell work on a dedicated replica (docs/security.md).", user);
            id = new Identity(user, -1, -1);
        }
        checkParent(id);
        identity = id;
        LOG.infof("shell scripts run as %s in %s (network: %s)", user, parent, config.network());
        return id;
    }

    /** A new private directory for one run, owned by the script's user, holding the script. */
    Path newRunDirectory(long instanceId, int attempt, String script) throws IOException {
        Identity id = prepare();
        Path dir = parent.resolve(instanceId + "-" + attempt + "-" + HexFormat.of().formatHex(randomBytes()));
        // createDirectory fails on anything already there, a symlink included: a run never enters a directory it did not make.
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
        Files.setPosixFilePermissions(dir, PRIVATE);
        Path file = dir.resolve("script.sh");
        Files.write(file, (script == null ? "" : script).getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        if (id.switches()) {
            chown(file, id);
            chown(dir, id);
        }
        return dir;
    }

    /** The command that runs {@code script.sh} of a run directory with the configured shell, contained. */
    List<String> command() {
        Identity id = prepare();
        List<String> command = new ArrayList<>();
        if (config.network().equals("none")) {
            command.addAll(List.of("unshare", "--net", "--"));
        }
        if (id.switches()) {
            command.addAll(List.of("setpriv", "--reuid=" + id.uid(), "--regid=" + id.gid(), "--clear-groups", "--no-new-privs", "--"));
        }
        command.add(config.shell());
        command.add("script.sh");
        return command;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }

    private void checkParent(Identity id) {
        try {
            if (Files.isSymbolicLink(parent)) {
                throw new IllegalStateException("scheduler.runner.work-dir " + parent + " is a symbolic link; give a real directory.");
            }
            if (!Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(parent.getParent());
                try {
                    Files.createDirectory(parent, PosixFilePermissions.asFileAttribute(PARENT));
                } catch (FileAlreadyExistsException raced) {
                    // another replica on this machine made it; checked below like any existing one
                }
            }
            PosixFileAttributes attributes = Files.readAttributes(parent, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String me = System.getProperty("user.name");
            if (!attributes.isDirectory() || !attributes.owner().getName().equals(me)) {
                throw new IllegalStateException("scheduler.runner.work-dir " + parent + " must be a directory owned by " + me
                        + " (it is owned by " + attributes.owner().getName() + "): another user could plant files in it.");
            }
            Set<PosixFilePermission> perms = attributes.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException("scheduler.runner.work-dir " + parent + " is writable by others (" + PosixFilePermissions.toString(perms)
                        + "); it must be writable by the scheduler only.");
            }
            if (id.switches()) {
                // Scripts enter their own directory through this one and its ancestors, never list them.
                Files.setPosixFilePermissions(parent, PARENT);
                for (Path p = parent.getParent(); p != null; p = p.getParent()) {
                    if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        throw new IllegalStateException("scripts run as " + id.user() + " cannot reach scheduler.runner.work-dir " + parent
                                + ": " + p + " is not searchable by other users (chmod o+x, or choose another work dir).");
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("scheduler.runner.work-dir " + parent + " is not usable: " + e.getMessage(), e);
        }
    }

    private static void chown(Path path, Identity id) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(users.lookupPrincipalByName(id.user()));
        view.setGroup(users.lookupPrincipalByGroupName(String.valueOf(id.gid())));
    }

    private static long currentUid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /** The numeric user or group id of a user, from the system's own database ({@code id}). */
    private static long idOf(String user, String flag) {
        try {
            Process p = new ProcessBuilder("id", flag, user).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("scheduler.runner.run-as: no user " + user + " on this system (" + out + ")");
            }
            return Long.parseLong(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot look up user " + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up user " + user, e);
        }
    }
}
