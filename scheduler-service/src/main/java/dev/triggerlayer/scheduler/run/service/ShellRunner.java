package dev.triggerlayer.scheduler.run.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.run.model.RunResult;
import dev.triggerlayer.scheduler.run.model.RunSpec;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs a shell node's script in a child process: the script is written to a file in a private
 * working directory of its own and run by the configured shell, contained by {@link ScriptSandbox}
 * (another user, optionally no network); the instance's parameters reach it only as environment
 * variables (the scheduler's own environment, with its database password, is not inherited).
 * Output is bounded, time is limited, and a kill takes the whole process tree.
 */
@ApplicationScoped
public class ShellRunner {

    private static final Logger LOG = Logger.getLogger(ShellRunner.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final SchedulerConfig.Runner config;
    private final ScriptSandbox sandbox;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService pumps = Executors.newCachedThreadPool(daemon("shell-output"));

    public ShellRunner(SchedulerConfig config, ScriptSandbox sandbox) {
        this.config = config.runner();
        this.sandbox = sandbox;
    }

    /** Instance ids whose process runs here now. */
    public Set<Long> runningInstances() {
        return Set.copyOf(running.keySet());
    }

    /** The attempt of the local run of an instance, or 0 when none runs here. */
    public int runningAttempt(long instanceId) {
        Running r = running.get(instanceId);
        return r == null ? 0 : r.attempt;
    }

    /** Kills the local run of an instance, if any; returns whether one was running. */
    public boolean kill(long instanceId) {
        Running r = running.get(instanceId);
        if (r == null) {
            return false;
        }
        r.killed = true;
        killTree(r.process.toHandle());
        return true;
    }

    /** Kills every local run (shutdown): interrupted runs are resolved by lease expiry or the next start. */
    public void killAll() {
        running.keySet().forEach(this::kill);
    }

    /** Runs the script to its end (blocking the calling worker thread). */
    public RunResult run(RunSpec spec) {
        BoundedLog log = new BoundedLog(config.outputLimit());
        Path dir = null;
        Process process;
        try {
            dir = sandbox.newRunDirectory(spec.instanceId(), spec.attempt(), spec.script());
            ProcessBuilder builder = new ProcessBuilder(sandbox.command()).directory(dir.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            env.put("HOME", dir.toString());
            env.put("TMPDIR", dir.toString());
            env.put("LANG", "C.UTF-8");
            env.putAll(spec.parameters());
            env.put("TRIGGERLAYER_INSTANCE_ID", String.valueOf(spec.instanceId()));
            env.put("TRIGGERLAYER_ATTEMPT", String.valueOf(spec.attempt()));
            env.put("TRIGGERLAYER_NODE_ID", String.valueOf(spec.nodeId()));
            env.put("TRIGGERLAYER_WORKSPACE_ID", String.valueOf(spec.workspaceId()));
            env.put("TRIGGERLAYER_ENV", spec.env());
            env.put("TRIGGERLAYER_BIZ_DATE", spec.bizDate().format(DAY));
            env.put("TRIGGERLAYER_CYC_TIME", String.valueOf(spec.cycTime().toEpochMilli()));
            process = builder.start();
        } catch (IOException e) {
            byte[] why = ("the script could not be started: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
            log.write(why, why.length);
            if (dir != null) {
                cleanUp(dir);
            }
            return new RunResult(-1, false, false, log.text(), 0);
        }
        Running r = new Running(process, spec.attempt());
        running.put(spec.instanceId(), r);
        try {
            process.getOutputStream().close();
            Future<?> pump = pumps.submit(() -> pump(process.getInputStream(), log));
            boolean exited = process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            boolean byRule = false;
            if (!exited) {
                byRule = true;
                killTree(process.toHandle());
                process.waitFor();
            }
            // A background child may keep the output pipe open after the script ended.
            try {
                pump.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.getInputStream().close();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.debugf("output of instance %d: %s", spec.instanceId(), e.getCause());
            }
            if (byRule) {
                byte[] why = ("\n[killed: the run exceeded its time limit of " + spec.timeout().toSeconds() + " s]\n").getBytes(StandardCharsets.UTF_8);
                log.write(why, why.length);
            }
            return new RunResult(process.exitValue(), byRule, r.killed, log.text(), log.droppedBytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process.toHandle());
            return new RunResult(-1, false, true, log.text(), log.droppedBytes());
        } catch (IOException e) {
            return new RunResult(-1, false, r.killed, log.text(), log.droppedBytes());
        } finally {
            running.remove(spec.instanceId(), r);
            cleanUp(dir);
        }
    }

    private static void pump(InputStream in, BoundedLog log) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                log.write(buffer, n);
            }
        } catch (IOException e) {
            // the stream was closed after the process ended: what was read is kept
        }
    }

    /**
     * The tree as it is now, then the script's own shell first: killing a child first would let
     * the shell run its next command. The handles are taken before, so re-parented children are
     * still reached.
     */
    private static void killTree(ProcessHandle process) {
        java.util.List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private void cleanUp(Path dir) {
        if (config.keepWorkDirs()) {
            return;
        }
        // walk follows no symlink: a link the script left is removed, never what it points at.
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", dir, e.getMessage());
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Running {
        final Process process;
        final int attempt;
        volatile boolean killed;

        Running(Process process, int attempt) {
            this.process = process;
            this.attempt = attempt;
        }
    }
}
