package io.raftstore.resp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes replies in RESP2 or RESP3, as the connection negotiated (RESP2 until {@code HELLO 3}). */
public final class ReplyEncoder {

    private static final byte[] CRLF = {'\r', '\n'};

    private ReplyEncoder() {
    }

    /** The reply's bytes. */
    public static byte[] encode(Reply reply, int protocol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(reply, protocol, out);
        return out.toByteArray();
    }

    /** Appends the reply's bytes to {@code out}, so a pipeline's replies can go out in one write. */
    public static void encode(Reply reply, int protocol, ByteArrayOutputStream out) {
        boolean resp3 = protocol >= 3;
        if (reply instanceof Reply.Simple s) {
            line(out, '+', oneLine(s.text()));
        } else if (reply instanceof Reply.Error e) {
            line(out, '-', oneLine(e.text()));
        } else if (reply instanceof Reply.Integer i) {
            line(out, ':', Long.toString(i.value()));
        } else if (reply instanceof Reply.Bulk b) {
            line(out, '$', Integer.toString(b.value().length));
            out.writeBytes(b.value());
            out.writeBytes(CRLF);
        } else if (reply instanceof Reply.Null || reply instanceof Reply.NullArray) {
            line(out, resp3 ? '_' : reply instanceof Reply.Null ? '$' : '*', resp3 ? "" : "-1");
        } else if (reply instanceof Reply.Array a) {
            line(out, '*', Integer.toString(a.items().size()));
            a.items().forEach(item -> encode(item, protocol, out));
        } else if (reply instanceof Reply.Map m) {
            int size = m.keysAndValues().size();
            line(out, resp3 ? '%' : '*', Integer.toString(resp3 ? size / 2 : size));
            m.keysAndValues().forEach(item -> encode(item, protocol, out));
        } else {
            boolean value = ((Reply.Bool) reply).value();
            line(out, resp3 ? '#' : ':', resp3 ? (value ? "t" : "f") : (value ? "1" : "0"));
        }
    }

    private static void line(ByteArrayOutputStream out, char type, String text) {
        out.write(type);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
    }

    /** A status or error line cannot hold CR or LF: they would end it early and desynchronise the client. */
    private static String oneLine(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    }
}
