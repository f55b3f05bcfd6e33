package io.starconsole.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's server side (2ston_dstar + 2ston_swalker) re-created against PostgreSQL, for
 * {@link SeedComparisonBench}: every PING writes its box's row before the PONG goes back, and every
 * ASK_USER_CMD (the falcon daemon's periodic fetch) scans the queue for the box's commands and removes
 * the ones it answers with. No batching, no wake-up.
 *
 * <p>It runs on the console's own tables: a PING updates the columns the console keeps for presence
 * ({@code spnclients.last_seen, online, realip, realport}) by primary key; the queue is
 * {@code command_deliveries} joined to {@code commands}, scanned through the console's
 * {@code (box_id, state)} index, in the seed's order (high priority first, then FIFO). Both give the seed
 * the console's indexes, which the seed's own table ({@code UNIQUE(realip, vpnip)} only) did not have.
 *
 * <p>Datagrams are plain, not encrypted (the seed's AES-CBC costs CPU here, not in the database):
 * {@code type (1 byte, the seed's JEDI number) | box id (4) | sequence (8)}; ANS_USER_CMD adds
 * {@code count (2) | command id (8) ...}. The seed fetched commands over TCP; one datagram each way is
 * cheaper for the server, so this favours the seed. Work is done by {@code workers} threads, each with
 * its own connection in autocommit (one transaction per statement, synchronous commit as the server is
 * configured); when they fall behind by {@code backlog} datagrams, further ones are dropped, as a full
 * UDP receive buffer would drop them.
 */
final class SeedServer implements AutoCloseable {

    static final byte PING = 1;
    static final byte PONG = 2;
    static final byte ASK_USER_CMD = 11;
    static final byte ANS_USER_CMD = 12;
    static final int REQUEST_BYTES = 1 + 4 + 8;
    /** Commands per answer: what one 1200-byte datagram holds. */
    static final int MAX_COMMANDS_PER_ANSWER = 100;

    private static final String KEEPALIVE = "UPDATE spnclients SET last_seen = now(), online = true, realip = ?,"
            + " realport = ? WHERE id = ?";
    private static final String SCAN = "SELECT d.id FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
            + " WHERE d.box_id = ? AND d.state = 'queued' ORDER BY c.priority DESC, d.id LIMIT "
            + MAX_COMMANDS_PER_ANSWER;
    private static final String DEQUEUE = "UPDATE command_deliveries SET state = 'delivered', attempts = attempts + 1,"
            + " updated_at = now() WHERE id = ANY (?) AND state = 'queued' RETURNING command_id";

    private final DatagramChannel channel;
    private final ThreadPoolExecutor workers;
    private final ThreadLocal<Statements> statements;
    private final List<Statements> opened = new ArrayList<>();
    private final Thread receiver;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    /** One worker's connection and its prepared statements. */
    private record Statements(Connection connection, PreparedStatement keepalive, PreparedStatement scan,
                              PreparedStatement dequeue) {
    }

    SeedServer(String jdbcUrl, String user, String password, int workerCount, int backlog) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        statements = ThreadLocal.withInitial(() -> {
            try {
                Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statements s = new Statements(c, c.prepareStatement(KEEPALIVE), c.prepareStatement(SCAN),
                        c.prepareStatement(DEQUEUE));
                synchronized (opened) {
                    opened.add(s);
                }
                return s;
            } catch (SQLException e) {
                throw new IllegalStateException("seed server: cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
            }
        });
        workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(backlog), runnable -> {
                    Thread t = new Thread(runnable, "seed-worker");
                    t.setDaemon(true);
                    return t;
                });
        receiver = new Thread(this::receive, "seed-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Datagrams dropped because the workers were {@code backlog} behind. */
    long dropped() {
        return dropped.get();
    }

    /** Requests whose statement failed (no answer sent). */
    long failed() {
        return failed.get();
    }

    static ByteBuffer request(byte type, int box, long sequence) {
        return ByteBuffer.allocate(REQUEST_BYTES).put(type).putInt(box).putLong(sequence).flip();
    }

    private void receive() {
        while (running) {
            ByteBuffer datagram = ByteBuffer.allocate(REQUEST_BYTES);
            SocketAddress from;
            try {
                from = channel.receive(datagram);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                failed.incrementAndGet();
                continue;
            }
            datagram.flip();
            if (datagram.remaining() != REQUEST_BYTES) {
                failed.incrementAndGet();
                continue;
            }
            try {
                workers.execute(() -> answer(datagram, from));
            } catch (RejectedExecutionException full) {
                dropped.incrementAndGet();
            }
        }
    }

    private void answer(ByteBuffer request, SocketAddress from) {
        byte type = request.get();
        int box = request.getInt();
        long sequence = request.getLong();
        try {
            Statements s = statements.get();
            ByteBuffer reply;
            if (type == PING) {
                InetSocketAddress source = (InetSocketAddress) from;
                s.keepalive.setString(1, source.getAddress().getHostAddress());
                s.keepalive.setInt(2, source.getPort());
                s.keepalive.setInt(3, box);
                s.keepalive.executeUpdate();
                reply = ByteBuffer.allocate(1 + 8).put(PONG).putLong(sequence).flip();
            } else if (type == ASK_USER_CMD) {
                List<Long> commandIds = fetch(s, box);
                reply = ByteBuffer.allocate(1 + 8 + 2 + 8 * commandIds.size()).put(ANS_USER_CMD).putLong(sequence)
                        .putShort((short) commandIds.size());
                for (long id : commandIds) {
                    reply.putLong(id);
                }
                reply.flip();
            } else {
                failed.incrementAndGet();
                return;
            }
            channel.send(reply, from);
        } catch (SQLException | IOException | RuntimeException e) {
            failed.incrementAndGet();
        }
    }

    /** The box's queued commands, taken off the queue: the seed's scan-and-remove. */
    private static List<Long> fetch(Statements s, int box) throws SQLException {
        List<Long> deliveries = new ArrayList<>();
        s.scan.setInt(1, box);
        try (ResultSet rows = s.scan.executeQuery()) {
            while (rows.next()) {
                deliveries.add(rows.getLong(1));
            }
        }
        List<Long> commandIds = new ArrayList<>();
        if (deliveries.isEmpty()) {
            return commandIds;
        }
        Array ids = s.connection.createArrayOf("bigint", deliveries.toArray());
        s.dequeue.setArray(1, ids);
        try (ResultSet rows = s.dequeue.executeQuery()) {
            while (rows.next()) {
                commandIds.add(rows.getLong(1));
            }
        }
        return commandIds;
    }

    /** The command ids of an ANS_USER_CMD datagram (after its type and sequence were read). */
    static long[] commandIds(ByteBuffer answer) {
        long[] ids = new long[answer.getShort()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = answer.getLong();
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        running = false;
        channel.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (opened) {
            for (Statements s : opened) {
                try {
                    s.connection.close();
                } catch (SQLException ignored) {
                    // the server goes away with the run
                }
            }
        }
    }
}
