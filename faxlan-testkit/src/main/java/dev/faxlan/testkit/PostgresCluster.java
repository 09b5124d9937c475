package dev.faxlan.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: Debian's {@code postgresql} package's {@code initdb} and
 * {@code pg_ctl}, a cluster in a new temporary directory, listening on 127.0.0.1 on a port found
 * free (tried again on "address in use"), password authentication for one superuser. Missing, the
 * test is skipped with a reason, or fails under {@code CI=true}. PostgreSQL refuses to run as root,
 * so as root the cluster belongs to, and runs as, the {@code postgres} system user the package creates.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.start()) {
 *     String url = pg.jdbcUrl(pg.createDatabase());
 *     ... DriverManager.getConnection(url, pg.user(), pg.password()) ...
 *     pg.restart(); // the same port: clients reconnect
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String PACKAGE = "Debian package postgresql";
    private static final String SUPERUSER = "faxlan";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final Optional<String> runAs;
    private final String password;
    private final int port;
    private final boolean durable;
    private final Thread stopAtExit;
    private volatile boolean running;

    private PostgresCluster(Path bin, Path dir, Optional<String> runAs, String password, int port, boolean durable) {
        this.durable = durable;
        this.bin = bin;
        this.dir = dir;
        this.runAs = runAs;
        this.password = password;
        this.port = port;
        // A test JVM that ends without close() must not leave a postmaster behind.
        this.stopAtExit = new Thread(() -> {
            if (running) quietly(() -> pgCtl("stop", "-m", "immediate"));
        }, "postgres-stop-at-exit");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** Creates and starts a new cluster, or skips (fails on CI) when PostgreSQL is not installed. */
    public static PostgresCluster start() throws IOException, InterruptedException {
        return start(true);
    }

    /**
     * As {@link #start()}, with {@code fsync}, {@code synchronous_commit} and {@code full_page_writes}
     * off: for tests of SQL behaviour, not of durability, where every commit and every new database
     * would otherwise wait for the disk (a copy of a template: 0.7 s with fsync on a busy machine).
     * A crash of such a cluster may lose commits; {@link #crash} is for durable clusters.
     */
    public static PostgresCluster startWithoutFsync() throws IOException, InterruptedException {
        return start(false);
    }

    private static PostgresCluster start(boolean durable) throws IOException, InterruptedException {
        Path bin = serverBin().orElseThrow(() -> ExternalTool.unavailable("PostgreSQL server (initdb, pg_ctl) not found (install " + PACKAGE + ")"));
        Optional<String> runAs = Optional.empty();
        if (isRoot()) {
            if (ExternalTool.run(List.of("id", "-u", "postgres")).exitCode() != 0) {
                throw ExternalTool.unavailable("running as root, and there is no postgres user to run PostgreSQL as (install " + PACKAGE + ")");
            }
            runAs = Optional.of("postgres");
        }
        Path dir = Files.createTempDirectory("faxlan-pg", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] pw = new byte[16];
        new SecureRandom().nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        Files.writeString(dir.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("sockets"));
        if (runAs.isPresent()) chownTree(dir, runAs.get());
        Optional<String> owner = runAs;
        ExternalTool.Result init = run(owner, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", SUPERUSER,
                "--pwfile=" + dir.resolve("pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        if (init.exitCode() != 0) throw new IOException("initdb failed: " + init.all().strip());
        Files.delete(dir.resolve("pwfile"));
        return PortRetry.<PostgresCluster, IOException>onAddressInUse("postgres", attempt -> {
            int port = PortRetry.freeUdpAndTcp(java.net.InetAddress.getLoopbackAddress());
            PostgresCluster pg = new PostgresCluster(bin, dir, owner, password, port, durable);
            try {
                pg.startServer();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while PostgreSQL started", e);
            } catch (RuntimeException | IOException e) {
                Runtime.getRuntime().removeShutdownHook(pg.stopAtExit);
                throw e;
            }
            return pg;
        });
    }

    /** The highest installed version's server programs (Debian keeps them off PATH), else PATH's. */
    static Optional<Path> serverBin() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> best = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())));
                if (best.isPresent()) return best;
            }
        }
        return ExternalTool.find("pg_ctl").filter(p -> Files.isExecutable(p.resolveSibling("initdb"))).map(Path::getParent);
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        return ExternalTool.run(List.of("id", "-u")).stdout().strip().equals("0");
    }

    private static void chownTree(Path dir, String user) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        var principal = users.lookupPrincipalByName(user);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) Files.setOwner(p, principal);
        }
    }

    private void startServer() throws IOException, InterruptedException {
        // fsync stays on unless asked: the crash tests rely on PostgreSQL's durability being the real one.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir.resolve("sockets") + " -c max_connections=200"
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        ExternalTool.Result r = pgCtl("start", "-w", "-t", "120", "-l", dir.resolve("server.log").toString(), "-o", options);
        if (r.exitCode() != 0) {
            String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            String why = "PostgreSQL did not start on port " + port + ": " + (r.all() + "\n" + log).strip();
            if (why.toLowerCase(java.util.Locale.ROOT).contains("address already in use")) throw new PortRetry.PortTaken(why);
            throw new IOException(why);
        }
        running = true;
    }

    private ExternalTool.Result pgCtl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString()));
        cmd.addAll(List.of(args));
        return run(runAs, cmd);
    }

    private static ExternalTool.Result run(Optional<String> runAs, List<String> cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(u -> full.addAll(List.of("runuser", "-u", u, "--")));
        full.addAll(cmd);
        return ExternalTool.run(full);
    }

    public int port() {
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    /** A file holding the password (for {@code FAXLAN_DB_PASSWORD_FILE}), readable only by its owner. */
    public Path writePasswordFile(Path file) throws IOException {
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database (a fresh name each call); returns its name. */
    public String createDatabase() throws SQLException {
        return createDatabase(null);
    }

    /**
     * A new database copied from {@code template} (a fresh name each call), or empty when it is null;
     * returns its name. Copying a migrated template takes milliseconds where migrating a new database
     * takes a second or more. The template must have no open connections while it is copied.
     */
    public String createDatabase(String template) throws SQLException {
        if (template != null && !template.matches("[a-z_][a-z0-9_]*")) throw new IllegalArgumentException("not a plain database name: " + template);
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password); Statement st = c.createStatement()) {
            // PostgreSQL 15's default strategy (WAL_LOG): FILE_COPY's two checkpoints take seconds on a busy machine.
            st.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        }
        return name;
    }

    /** Stops the server as an administrator would ({@code pg_ctl stop -m fast}): sessions are ended, nothing is lost. */
    public void stop() throws IOException, InterruptedException {
        ExternalTool.Result r = pgCtl("stop", "-w", "-m", "fast");
        running = false;
        if (r.exitCode() != 0) throw new IOException("pg_ctl stop failed: " + r.all().strip());
    }

    /** Kills the server as a crash would ({@code -m immediate}): it recovers from its WAL at the next start. */
    public void crash() throws IOException, InterruptedException {
        ExternalTool.Result r = pgCtl("stop", "-w", "-m", "immediate");
        running = false;
        if (r.exitCode() != 0) throw new IOException("pg_ctl stop -m immediate failed: " + r.all().strip());
    }

    /**
     * Starts a stopped server again on the same port, so clients configured with it reconnect. The
     * port may have been taken meanwhile; then this fails with {@link PortRetry.PortTaken}.
     */
    public void startAgain() throws IOException, InterruptedException {
        startServer();
    }

    /** {@link #stop} then {@link #startAgain}. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startAgain();
    }

    public boolean isRunning() {
        return running;
    }

    /** The server's log, for a failing test's message. */
    public String log() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (running) pgCtl("stop", "-w", "-m", "immediate");
            running = false;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            } catch (IllegalStateException exiting) {
                // the JVM is already shutting down: the hook runs anyway
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception ignored) {
            // at exit there is nobody left to tell
        }
    }
}
