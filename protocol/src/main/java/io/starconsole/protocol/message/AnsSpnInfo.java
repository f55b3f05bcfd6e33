package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * ANS_SPN_INFO (9): one page of the box's peers. Pages are numbered from 0; {@code totalPages} is at
 * least 1 (an empty list is one empty page). Use {@link #paginate} to cut a list into pages that fit.
 */
public record AnsSpnInfo(int page, int totalPages, List<PeerEntry> entries) implements Message {

    /** type byte + page + total pages + count. */
    private static final int FIXED_SIZE_IN_BYTES = 1 + 2 + 2 + 1;
    public static final int MAX_ENTRIES = 0xFF;

    public AnsSpnInfo {
        Fields.range(totalPages, 1, 0xFFFF, "totalPages");
        Fields.range(page, 0, totalPages - 1, "page");
        entries = List.copyOf(entries);
        if (entries.size() > MAX_ENTRIES || size(entries) > MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("page does not fit one datagram: use paginate()");
        }
    }

    /** Cuts {@code peers} into pages that each fit one datagram, in order. */
    public static List<AnsSpnInfo> paginate(List<PeerEntry> peers) {
        List<List<PeerEntry>> pages = new ArrayList<>();
        List<PeerEntry> current = new ArrayList<>();
        int size = FIXED_SIZE_IN_BYTES;
        for (PeerEntry peer : peers) {
            int entrySize = peer.encodedSize();
            if (size + entrySize > MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES || current.size() == MAX_ENTRIES) {
                pages.add(current);
                current = new ArrayList<>();
                size = FIXED_SIZE_IN_BYTES;
            }
            current.add(peer);
            size += entrySize;
        }
        pages.add(current);
        List<AnsSpnInfo> out = new ArrayList<>(pages.size());
        for (int i = 0; i < pages.size(); i++) {
            out.add(new AnsSpnInfo(i, pages.size(), pages.get(i)));
        }
        return out;
    }

    public static AnsSpnInfo decode(ByteReader reader) throws ProtocolException {
        int page = reader.u16();       // page, u16
        int totalPages = reader.u16(); // total pages, u16
        int count = reader.u8();       // entry count, u8
        if (totalPages == 0 || page >= totalPages) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "bad page number");
        }
        List<PeerEntry> entries = new ArrayList<>(Math.min(count, reader.remaining() / 44));
        for (int i = 0; i < count; i++) {
            entries.add(PeerEntry.decode(reader)); // entries
        }
        return new AnsSpnInfo(page, totalPages, entries);
    }

    @Override
    public MessageType type() {
        return MessageType.ANS_SPN_INFO;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u16(page).u16(totalPages).u8(entries.size());
        for (PeerEntry entry : entries) {
            entry.encodeTo(writer);
        }
    }

    private static int size(List<PeerEntry> entries) {
        int size = FIXED_SIZE_IN_BYTES;
        for (PeerEntry entry : entries) {
            size += entry.encodedSize();
        }
        return size;
    }
}
