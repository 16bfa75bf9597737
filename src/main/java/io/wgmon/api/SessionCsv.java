package io.wgmon.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Sessions as CSV (RFC 4180: CRLF lines, fields with a comma, quote or line break quoted, quotes doubled)
 * for spreadsheets and audits. A text cell starting with = + - @ (or a tab or CR) gets a leading ' so a
 * spreadsheet does not run a peer's name as a formula.
 */
final class SessionCsv {
    static final String MEDIA_TYPE = "text/csv";
    static final String HEADER = "id,interface,publicKey,name,start,end,durationSeconds,endReason,rxBytes,txBytes,"
            + "endpoint,endpoints";

    private SessionCsv() {
    }

    static String of(List<SessionView> sessions) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (SessionView session : sessions) {
            csv.append(session.id()).append(',')
                    .append(text(session.interfaceName())).append(',')
                    .append(text(session.publicKey())).append(',')
                    .append(text(session.name())).append(',')
                    .append(session.start()).append(',')
                    .append(session.end() == null ? "" : session.end()).append(',')
                    .append(session.durationSeconds()).append(',')
                    .append(text(session.endReason())).append(',')
                    .append(session.rxBytes()).append(',')
                    .append(session.txBytes()).append(',')
                    .append(text(session.endpoint())).append(',')
                    .append(text(session.endpoints().stream().map(e -> e.time() + " " + e.endpoint())
                            .collect(Collectors.joining(";"))))
                    .append("\r\n");
        }
        return csv.toString();
    }

    /** One text cell: defused against formulas, then quoted when RFC 4180 asks for it. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String cell = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}
