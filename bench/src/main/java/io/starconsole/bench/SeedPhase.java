package io.starconsole.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's design under a {@link ComparisonLoad}, for {@link SeedComparisonBench}: the same boxes
 * (their {@code spnclients} rows) talk to a {@link SeedServer}. Each PINGs on the same schedule as in
 * {@link ConsolePhase} and, as the seed's falcon daemon did, asks for commands every
 * {@code seedPollInterval} whether or not there is work, its first ask at a random point of the interval.
 * Commands are enqueued as the seed's swalker queued them, straight into the queue: one transaction
 * inserting the command and its one delivery (what the console's own enqueue writes for one box). The
 * console's NOTIFY trigger on new deliveries is disabled for the phase: the seed had no wake-up.
 */
final class SeedPhase {

    private static final String ENQUEUE_COMMAND = "INSERT INTO commands (type, priority, target_kind, target_value,"
            + " contents, created_by) VALUES (100, 0, 'box', ?, ?, 'bench') RETURNING id";
    private static final String ENQUEUE_DELIVERY = "INSERT INTO command_deliveries (command_id, box_id) VALUES (?, ?)";
    private static final String WAKE_UP_TRIGGER = "command_deliveries_announce";

    private final ComparisonLoad load;
    private final SeedServer server;
    private final List<SeedBox> boxes;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Connection superuser;
    private final MeasuredWindow window;
    private final AtomicLong sendFailures = new AtomicLong();

    /** A registered box: its row's id and its public key (the console's target for a command). */
    record SeedBox(int id, String publicKey) {
    }

    SeedPhase(ComparisonLoad load, SeedServer server, List<SeedBox> boxes, String jdbcUrl, String user, String password,
              Connection superuser, MeasuredWindow window) {
        this.load = load;
        this.server = server;
        this.boxes = boxes;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.superuser = superuser;
        this.window = window;
    }

    PhaseFigures run() throws Exception {
        setWakeUpTrigger(false);
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress to = server.address();
            RateSchedule pingSchedule = new RateSchedule(System.nanoTime() + 50_000_000L, load.pingsPerSecond());
            long windowStart = pingSchedule.dueNanos(load.firstMeasuredPing());
            PingClock pings = new PingClock(pingSchedule, load.firstMeasuredPing(), load.endMeasuredPing());
            CommandClock commands = new CommandClock(new RateSchedule(windowStart, load.commandsPerSecond()),
                    load.commands());
            Thread receiver = new Thread(() -> receive(channel, pings, commands), "seed-boxes-receiver");
            receiver.setDaemon(true);
            receiver.start();
            // Polls are spread like the PINGs, offset by a random fraction of the interval so that a
            // command's wait for the next poll is uniform, as with boxes started at random times.
            RateSchedule pollSchedule = new RateSchedule(pingSchedule.dueNanos(0)
                    + (long) (new Random(7).nextDouble() * load.seedPollInterval().toNanos()), load.pollsPerSecond());
            long pingsEnd = pingSchedule.dueNanos(load.pings());
            Thread sender = new Thread(() -> sendAll(channel, to, pingSchedule, pollSchedule, pingsEnd), "seed-boxes-sender");
            sender.start();
            MeasuredWindow.Measured measured = window.measure(windowStart,
                    pingSchedule.dueNanos(load.endMeasuredPing()), () -> enqueueAll(commands));
            sender.join();
            Thread.sleep(1500); // the last answers
            System.out.println("  seed: send failures " + sendFailures.get() + ", server dropped " + server.dropped()
                    + " datagrams (workers behind), failed " + server.failed());
            return new PhaseFigures("seed", measured, pings.report("seed: PING"), commands.latency(),
                    commands.commands(), commands.enqueueFailures(), commands.undelivered());
        } finally {
            setWakeUpTrigger(true);
        }
    }

    private void setWakeUpTrigger(boolean enabled) throws SQLException {
        try (var statement = superuser.createStatement()) {
            statement.execute("ALTER TABLE command_deliveries " + (enabled ? "ENABLE" : "DISABLE") + " TRIGGER "
                    + WAKE_UP_TRIGGER);
        }
    }

    /** PINGs and polls in due order until the last PING: one thread, as one schedule. */
    private void sendAll(DatagramChannel channel, InetSocketAddress to, RateSchedule pings, RateSchedule polls,
                         long endNanos) {
        long ping = 0;
        long poll = 0;
        while (ping < load.pings()) {
            long pingDue = pings.dueNanos(ping);
            long pollDue = polls.dueNanos(poll);
            boolean isPing = pingDue <= pollDue;
            if (!isPing && pollDue >= endNanos) {
                isPing = true;
            }
            long due = isPing ? pingDue : pollDue;
            RateSchedule.parkUntil(due);
            ByteBuffer request = isPing
                    ? SeedServer.request(SeedServer.PING, boxes.get(load.boxOf(ping)).id(), ping++)
                    : SeedServer.request(SeedServer.ASK_USER_CMD, boxes.get((int) (poll % boxes.size())).id(), poll++);
            try {
                channel.send(request, to);
            } catch (IOException e) {
                sendFailures.incrementAndGet();
            }
        }
    }

    private void receive(DatagramChannel channel, PingClock pings, CommandClock commands) {
        ByteBuffer datagram = ByteBuffer.allocate(1200);
        while (channel.isOpen()) {
            try {
                datagram.clear();
                channel.receive(datagram);
                long at = System.nanoTime();
                datagram.flip();
                byte type = datagram.get();
                long sequence = datagram.getLong();
                if (type == SeedServer.PONG) {
                    pings.answered(sequence, at);
                } else if (type == SeedServer.ANS_USER_CMD) {
                    for (long id : SeedServer.commandIds(datagram)) {
                        commands.received(id, at);
                    }
                }
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                sendFailures.incrementAndGet();
            }
        }
    }

    /** Open loop: each enqueue is handed to a connection of its own at its due time. */
    private void enqueueAll(CommandClock commands) throws InterruptedException {
        int connections = 4;
        List<Connection> opened = new ArrayList<>();
        ThreadLocal<Connection> connection = ThreadLocal.withInitial(() -> {
            try {
                Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                c.setAutoCommit(false);
                synchronized (opened) {
                    opened.add(c);
                }
                return c;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
            }
        });
        ExecutorService enqueuers = Executors.newFixedThreadPool(connections);
        Random random = new Random(42);
        try {
            for (int i = 0; i < commands.commands(); i++) {
                SeedBox box = boxes.get(random.nextInt(boxes.size()));
                int index = i;
                RateSchedule.awaitNanos(commands.dueNanos(i));
                enqueuers.execute(() -> enqueue(connection.get(), commands, index, box));
            }
        } finally {
            enqueuers.shutdown();
            enqueuers.awaitTermination(60, TimeUnit.SECONDS);
            synchronized (opened) {
                for (Connection c : opened) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // done with it either way
                    }
                }
            }
        }
    }

    private static void enqueue(Connection c, CommandClock commands, int index, SeedBox box) {
        try (PreparedStatement command = c.prepareStatement(ENQUEUE_COMMAND);
             PreparedStatement delivery = c.prepareStatement(ENQUEUE_DELIVERY)) {
            command.setString(1, box.publicKey());
            command.setString(2, "bench-" + index);
            long id;
            try (ResultSet row = command.executeQuery()) {
                row.next();
                id = row.getLong(1);
            }
            delivery.setLong(1, id);
            delivery.setInt(2, box.id());
            delivery.executeUpdate();
            c.commit();
            commands.enqueued(index, id);
        } catch (SQLException e) {
            commands.enqueueFailed(index);
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the failure is counted
            }
        }
    }
}
