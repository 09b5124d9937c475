package dev.faxlan.engine.t38;

import java.util.Arrays;
import java.util.List;

/** An Internet Facsimile Protocol packet (T.38 §7): an indicator, or data fields of one modulation. */
public sealed interface Ifp {

    /** A T.30 indicator: a tone, a preamble or a modem's training. */
    record Indication(Indicator indicator) implements Ifp {}

    /** Data of one modulation: one or more fields. */
    record Data(DataType type, List<Field> fields) implements Ifp {
        public Data {
            fields = List.copyOf(fields);
        }

        public static Data of(DataType type, FieldType field, byte[] bytes) {
            return new Data(type, List.of(new Field(field, bytes)));
        }
    }

    /** One field; {@code data} is empty for a field without data (sig-end, FCS verdicts). */
    record Field(FieldType type, byte[] data) {
        public Field {
            data = data == null ? new byte[0] : data.clone();
        }

        public Field(FieldType type) {
            this(type, new byte[0]);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Field f && f.type == type && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return type + "(" + data.length + ")";
        }
    }
}
