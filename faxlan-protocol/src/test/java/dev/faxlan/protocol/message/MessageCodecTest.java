package dev.faxlan.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    /** Every request and answer type of every operation, and the records nested in them. */
    static List<Class<? extends Record>> messageTypes() {
        List<Class<? extends Record>> out = new ArrayList<>();
        for (Operations.Binding b : Operations.all()) {
            for (Class<? extends Record> t : List.of(b.request(), b.reply())) addWithNested(t, out);
        }
        return out;
    }

    private static void addWithNested(Class<? extends Record> t, List<Class<? extends Record>> out) {
        if (out.contains(t)) return;
        out.add(t);
        for (MessageCodec.FieldSpec f : MessageCodec.fields(t)) if (f.record() != null) addWithNested(f.record(), out);
    }

    @Property(tries = 1000)
    void decodingAnEncodedMessageGivesItBack(@ForAll("messages") Record message) throws CpiException {
        Record back = MessageCodec.decode(message.getClass(), MessageCodec.encode(message));
        assertThat(back).usingRecursiveComparison().isEqualTo(message);
    }

    @Property(tries = 200)
    void absentFieldsAreLeftOutAndPresentOnesKeepTheirOrder(@ForAll("messages") Record message) {
        List<String> names = new ArrayList<>(MessageCodec.encode(message).asMap().keySet());
        List<String> declared = MessageCodec.fields(message.getClass()).stream().map(MessageCodec.FieldSpec::name).filter(names::contains).toList();
        assertThat(names).isEqualTo(declared);
    }

    @Test
    void everyOperationHasItsTypesAndEachRequestTypeNamesItsAnswer() {
        assertThat(Operations.all()).extracting(Operations.Binding::op).containsExactly(Op.values());
        for (Operations.Binding b : Operations.all()) {
            Type declared = Arrays.stream(b.request().getGenericInterfaces())
                    .filter(t -> t instanceof ParameterizedType p && p.getRawType() == CpiRequest.class).findFirst().orElseThrow();
            assertThat(((ParameterizedType) declared).getActualTypeArguments()[0]).as(b.op().wire()).isEqualTo(b.reply());
        }
    }

    @Test
    void aMissingRequiredFieldIsABadRequestNamingIt() {
        Fields body = Fields.builder().put("size", 5L).build();
        assertThatThrownBy(() -> Operations.request(Op.UPLOAD_BEGIN, body)).isInstanceOfSatisfying(CpiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e).hasMessage("field \"sha256\" is missing");
        });
    }

    @Test
    void aMistypedFieldIsTheBadRequestFieldsHasAlwaysGiven() {
        Fields body = Fields.builder().put("size", "five").put("sha256", "ab").build();
        assertThatThrownBy(() -> Operations.request(Op.UPLOAD_BEGIN, body)).isInstanceOfSatisfying(CpiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e).hasMessage("field \"size\" must be an integer");
        });
        Fields nested = Fields.builder().put("jobs", List.of(Map.of("id", "x"))).build();
        assertThatThrownBy(() -> MessageCodec.decode(JobMessage.Jobs.class, nested)).hasMessage("field \"id\" must be an integer");
        Fields fields = Fields.builder().put("id", 1L).put("to", "1").put("state", "queued").put("fields", Map.of("a", 1L)).build();
        assertThatThrownBy(() -> MessageCodec.decode(JobMessage.Job.class, fields)).hasMessage("field \"fields\" must be a map of text");
    }

    @Test
    void aFieldWithAnotherNameOnTheWireIsReadAndWrittenUnderThatName() throws CpiException {
        InboxMessage.Fax fax = new InboxMessage.Fax(1, null, null, null, null, null, null, null, null, 3L, null, null, null, null, null, null);
        assertThat(MessageCodec.encode(fax).asMap()).containsOnlyKeys("id", "bad_lines");
        assertThat(MessageCodec.decode(InboxMessage.Fax.class, MessageCodec.encode(fax)).badLines()).isEqualTo(3L);
    }

    @Test
    void aJobsCallsAreReadWithTheirOptionalMediaAndCarrierAndARequiredFieldIsNamedWhenMissing() throws CpiException {
        Map<String, Object> call = new LinkedHashMap<>(Map.of("attempt", 1L, "started", 10L, "ended", 20L, "line", "trunk1", "plan", "over T.38",
                "media_why", "", "outcome", "busy", "pages", 0L, "reason", "the number was busy"));
        Fields job = Fields.builder().put("id", 1L).put("to", "+4930123456").put("state", "retry-wait").put("calls", List.of(call)).build();
        JobMessage.Call read = MessageCodec.decode(JobMessage.Job.class, job).calls().get(0);
        assertThat(read.media()).isNull();
        assertThat(read.carrier()).isNull();
        assertThat(read.outcome()).isEqualTo("busy");
        call.remove("outcome");
        Fields broken = Fields.builder().put("id", 1L).put("to", "+4930123456").put("state", "retry-wait").put("calls", List.of(call)).build();
        assertThatThrownBy(() -> MessageCodec.decode(JobMessage.Job.class, broken)).hasMessage("field \"outcome\" is missing");
    }

    @Test
    void fieldsOfAnUnknownNameAreIgnored() throws CpiException {
        Fields body = Fields.builder().put("job", 4L).put("from-a-newer-client", true).build();
        assertThat(Operations.request(Op.JOB_GET, body)).isEqualTo(new JobMessage.GetJob(4));
    }

    // ---------------------------------------------------------------- generators, from the records' own fields

    @Provide
    Arbitrary<Record> messages() {
        return Arbitraries.of(messageTypes()).flatMap(MessageCodecTest::arbitrary);
    }

    static Arbitrary<Record> arbitrary(Class<? extends Record> type) {
        List<MessageCodec.FieldSpec> fields = MessageCodec.fields(type);
        if (fields.isEmpty()) return Arbitraries.just(newRecord(type, List.of()));
        List<Arbitrary<Object>> parts = new ArrayList<>();
        for (MessageCodec.FieldSpec f : fields) {
            Arbitrary<Object> a = value(f);
            parts.add(f.required() ? a : a.injectNull(0.3));
        }
        return Combinators.combine(parts).as(values -> newRecord(type, values));
    }

    private static Arbitrary<Object> value(MessageCodec.FieldSpec f) {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<?> a = switch (f.kind()) {
            case TEXT -> text;
            case INTEGER -> Arbitraries.longs();
            case BOOLEAN -> Arbitraries.of(true, false);
            case BYTES -> Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
            case TEXT_LIST -> text.list().ofMaxSize(4);
            case TEXT_MAP, MAP -> Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), text).ofMaxSize(4)
                    .map(LinkedHashMap::new);
            case RECORD -> Arbitraries.lazy(() -> arbitrary(f.record()));
            case RECORD_LIST -> Arbitraries.lazy(() -> arbitrary(f.record())).list().ofMaxSize(3);
        };
        return a.map(v -> (Object) v);
    }

    private static Record newRecord(Class<? extends Record> type, List<Object> values) {
        try {
            var components = type.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
            var ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values.toArray());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
