-- cpi.lua: Wireshark dissector for faxlan's client protocol (CPI), docs/protocol.md.
--
--   * Discovery datagrams (§2): plain UDP on the CPI port, first byte below 0x40.
--   * CPI frames (§3) inside QUIC streams: a 4-byte length and a CBOR map. Wireshark decrypts QUIC
--     given the TLS key log that 'faxlan server --keylog FILE' (or any client command's --keylog)
--     writes, and hands the stream data of connections whose ALPN is "cpi/1" to this dissector.
--
-- Use:  tshark -X lua_script:cpi.lua -o tls.keylog_file:KEYLOG \
--              -o quic.reassemble_crypto_out_of_order:FALSE -r capture.pcapng
-- or copy it into Wireshark's personal Lua plugins folder (Help > About > Folders). The QUIC
-- preference is needed because faxlan's server answers every first Initial with a Retry, after
-- which the client sends a new ClientHello; see docs/packet-analysis.md.
-- Written for Wireshark 4.0 (Lua 5.2).

local MAX_FRAME = 1048576 -- §3: a receiver refuses a longer frame
local MAX_DEPTH = 16      -- §3: CPI nests no deeper

----------------------------------------------------------------------------------------------------
-- CBOR (RFC 8949), the subset CPI uses: ints, byte and text strings, arrays, maps, false/true/null.
-- A node is {kind, value, offset, length}; maps also carry entries (in wire order) and by_key.

local function cbor_argument(tvb, off, info)
    if info < 24 then return info, 1 end
    local n = ({[24] = 1, [25] = 2, [26] = 4, [27] = 8})[info]
    if n == nil then error("indefinite lengths and reserved values are not CPI's CBOR") end
    if off + 1 + n > tvb:len() then error("length beyond the bytes present") end
    local r = tvb(off + 1, n)
    if n < 8 then return r:uint(), 1 + n end
    local v = r:uint64()
    -- Lua 5.2 numbers are doubles: keep larger values as UInt64, which still print exactly.
    if v <= UInt64(0xFFFFFFFF, 0x1FFFFF) then return v:tonumber(), 1 + n end
    return v, 1 + n
end

local decode

decode = function(tvb, off, depth)
    if depth > MAX_DEPTH then error("nested deeper than " .. MAX_DEPTH) end
    if off >= tvb:len() then error("CBOR item beyond the bytes present") end
    local initial = tvb(off, 1):uint()
    local major, info = math.floor(initial / 32), initial % 32
    if major == 7 then
        local simple = {[20] = false, [21] = true, [22] = "null"}
        if simple[info] == nil then error(string.format("CBOR simple/float 0x%02x is not CPI's CBOR", initial)) end
        if info == 22 then return {kind = "null", offset = off, length = 1} end
        return {kind = "bool", value = simple[info], offset = off, length = 1}
    end
    local arg, head = cbor_argument(tvb, off, info)
    if major == 0 then
        return {kind = "int", value = arg, offset = off, length = head}
    elseif major == 1 then
        if type(arg) ~= "number" then error("negative integer beyond 64 bits") end
        return {kind = "int", value = -1 - arg, offset = off, length = head}
    elseif major == 2 or major == 3 then
        if type(arg) ~= "number" or off + head + arg > tvb:len() then error("string beyond the bytes present") end
        local node = {kind = major == 2 and "bytes" or "text", offset = off, length = head + arg}
        if major == 2 then
            node.value = arg > 0 and tvb(off + head, arg):bytes() or ByteArray.new()
        else
            node.value = arg > 0 and tvb(off + head, arg):string(ENC_UTF_8) or ""
        end
        node.data_offset, node.data_length = off + head, arg
        return node
    elseif major == 4 then
        local node = {kind = "array", value = {}, offset = off}
        local pos = off + head
        for i = 1, arg do
            local item = decode(tvb, pos, depth + 1)
            node.value[i] = item
            pos = pos + item.length
        end
        node.length = pos - off
        return node
    elseif major == 5 then
        local node = {kind = "map", entries = {}, by_key = {}, offset = off}
        local pos = off + head
        for i = 1, arg do
            local k = decode(tvb, pos, depth + 1)
            if k.kind ~= "text" then error("map key is not text") end
            local v = decode(tvb, pos + k.length, depth + 1)
            if node.by_key[k.value] ~= nil then error("duplicate map key " .. k.value) end
            node.entries[i] = {key = k, value = v}
            node.by_key[k.value] = v
            pos = pos + k.length + v.length
        end
        node.length = pos - off
        return node
    end
    error(string.format("CBOR tag 0x%02x is not CPI's CBOR", initial))
end

local function show(node)
    if node.kind == "text" then return '"' .. node.value .. '"' end
    if node.kind == "bytes" then
        local hex = node.value:tohex()
        if #hex > 64 then hex = hex:sub(1, 64) .. "..." end
        return "h'" .. hex:lower() .. "' (" .. node.data_length .. " bytes)"
    end
    if node.kind == "null" then return "null" end
    if node.kind == "array" then return "array of " .. #node.value end
    if node.kind == "map" then return "map of " .. #node.entries end
    return tostring(node.value)
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- Unpadded standard Base64, as faxlan prints fingerprints (SHA256:...).
local function base64(bytes)
    local out, n = {}, bytes:len()
    for i = 0, n - 1, 3 do
        local a, b, c = bytes:get_index(i), i + 1 < n and bytes:get_index(i + 1) or 0, i + 2 < n and bytes:get_index(i + 2) or 0
        local v = a * 65536 + b * 256 + c
        local chars = math.min(4, n - i + 1)
        for j = 1, chars do
            local idx = math.floor(v / 2 ^ (6 * (4 - j))) % 64
            out[#out + 1] = B64:sub(idx + 1, idx + 1)
        end
    end
    return table.concat(out)
end

----------------------------------------------------------------------------------------------------
-- Protocol and fields

local cpi = Proto("cpi", "faxlan CPI")
local wide = {} -- the 64-bit fields: they take Int64/UInt64 values
local f = {
    length = ProtoField.uint32("cpi.length", "Frame length"),
    v = ProtoField.uint32("cpi.v", "CPI version"),
    kind = ProtoField.string("cpi.kind", "Kind"),
    id = ProtoField.int64("cpi.id", "Request id"),
    op = ProtoField.string("cpi.op", "Operation"),
    response_to = ProtoField.string("cpi.response_to", "Response to"),
    ok = ProtoField.bool("cpi.ok", "Ok"),
    sess = ProtoField.bytes("cpi.sess", "Session token"),
    key = ProtoField.bytes("cpi.key", "Idempotency key"),
    err_code = ProtoField.string("cpi.error.code", "Error code"),
    err_num = ProtoField.uint32("cpi.error.num", "Error number"),
    err_msg = ProtoField.string("cpi.error.msg", "Error message"),
    ev_seq = ProtoField.uint64("cpi.event.seq", "Event sequence number"),
    ev_type = ProtoField.string("cpi.event.type", "Event type"),
    ev_time = ProtoField.uint64("cpi.event.time", "Event time (ms since 1970)"),
    ack = ProtoField.uint64("cpi.ack", "Acknowledged event"),
    stream = ProtoField.uint64("cpi.stream", "QUIC stream"),
    member = ProtoField.string("cpi.member", "Field"),
    body = ProtoField.none("cpi.body", "Body"),
    err = ProtoField.none("cpi.err", "Error"),
    event = ProtoField.none("cpi.event", "Event"),
    data_length = ProtoField.uint32("cpi.data_length", "Raw document bytes"),
    d_type = ProtoField.uint8("cpi.discovery.type", "Discovery type", base.DEC, {[1] = "probe", [2] = "reply"}),
    d_version = ProtoField.uint8("cpi.discovery.version", "Discovery version"),
    d_nonce = ProtoField.bytes("cpi.discovery.nonce", "Nonce"),
    d_padding = ProtoField.uint32("cpi.discovery.padding", "Zero padding (bytes)"),
    d_name = ProtoField.string("cpi.discovery.name", "Server name"),
    d_port = ProtoField.uint32("cpi.discovery.port", "CPI port"),
    d_server_version = ProtoField.string("cpi.discovery.server_version", "Server version"),
    d_fp = ProtoField.bytes("cpi.discovery.fp", "Certificate fingerprint (SHA-256)"),
    d_fingerprint = ProtoField.string("cpi.discovery.fingerprint", "Fingerprint"),
}
wide[f.id] = "int64"
for _, field in ipairs({f.ev_seq, f.ev_time, f.ack, f.stream}) do wide[field] = "uint64" end
cpi.fields = {}
for _, field in pairs(f) do table.insert(cpi.fields, field) end

cpi.prefs.show_passwords = Pref.bool("Show passwords", false,
    "Show the values of password fields (login, user.add, user.passwd); hidden by default so that a shared capture summary does not leak them")

local e_malformed = ProtoExpert.new("cpi.expert.malformed", "Malformed CPI", expert.group.MALFORMED, expert.severity.ERROR)
local e_error = ProtoExpert.new("cpi.expert.error", "CPI error answer", expert.group.RESPONSE_CODE, expert.severity.NOTE)
cpi.experts = {e_malformed, e_error}

cpi.prefs.port = Pref.uint("UDP port", 4644, "The CPI port: discovery datagrams and QUIC share it")

local quic_stream_id = Field.new("quic.stream.stream_id")
local quic_connection = Field.new("quic.connection.number")

-- 64-bit fields take Int64/UInt64 values, not Lua numbers.
local function wide_value(field, value)
    if type(value) ~= "number" or not wide[field] then return value end
    if wide[field] == "int64" then return Int64(value) end
    if value < 0 then return value end
    return UInt64(value)
end

-- Adds a field from a decoded node; a value of the wrong type or range (an id that is text, a
-- negative sequence number) becomes an expert note instead of a Lua error.
local function add_node(tree, field, tvb, node, key)
    local ok, item
    if node.kind == "bytes" then
        ok, item = pcall(tree.add, tree, field, tvb(node.data_offset, node.data_length))
    elseif node.kind == "int" or node.kind == "text" or node.kind == "bool" then
        ok, item = pcall(tree.add, tree, field, tvb(node.offset, node.length), wide_value(field, node.value))
    end
    if not ok then
        tree:add_proto_expert_info(e_malformed, key .. " has an unexpected value: " .. show(node))
        return nil
    end
    return item
end

local function last(field)
    local all = {field()}
    return all[#all]
end

----------------------------------------------------------------------------------------------------
-- Discovery datagrams (§2)

local function dissect_discovery(tvb, pinfo, tree)
    pinfo.cols.protocol = "CPI"
    local t = tree:add(cpi, tvb(), "faxlan CPI discovery")
    local kind = tvb(0, 1):uint()
    t:add(f.d_type, tvb(0, 1))
    if tvb:len() < 10 then
        t:add_proto_expert_info(e_malformed, "shorter than a discovery header (10 bytes)")
        pinfo.cols.info = "CPI discovery, malformed"
        return tvb:len()
    end
    t:add(f.d_version, tvb(1, 1))
    t:add(f.d_nonce, tvb(2, 8))
    local nonce = tvb(2, 8):bytes():tohex():lower()
    if kind == 1 then
        t:add(f.d_padding, tvb(10), tvb:len() - 10)
        if tvb:len() < 512 then t:add_proto_expert_info(e_malformed, "a probe shorter than 512 bytes, which servers ignore") end
        pinfo.cols.info = string.format("CPI discovery probe, nonce %s, %d bytes", nonce, tvb:len())
        return tvb:len()
    end
    if kind ~= 2 or tvb:len() == 10 then
        pinfo.cols.info = string.format("CPI discovery, unknown type 0x%02x", kind)
        return tvb:len()
    end
    local body = tvb(10):tvb()
    local ok, map = pcall(decode, body, 0, 1)
    if not ok or map.kind ~= "map" then
        t:add_proto_expert_info(e_malformed, "reply body is not a CBOR map: " .. tostring(ok and map.kind or map))
        return tvb:len()
    end
    local function put(field, key, kind_wanted)
        local node = map.by_key[key]
        if node == nil or node.kind ~= kind_wanted then return nil end
        local range = body(node.offset, node.length)
        if kind_wanted == "bytes" then
            t:add(field, body(node.data_offset, node.data_length))
        else
            t:add(field, range, node.value)
        end
        return node.value
    end
    local name = put(f.d_name, "name", "text")
    local port = map.by_key.port
    if port and port.kind == "int" and type(port.value) == "number" and port.value >= 0 and port.value <= 65535 then
        port = put(f.d_port, "port", "int")
    else
        if port then t:add_proto_expert_info(e_malformed, "port is not a UDP port number: " .. show(port)) end
        port = "?"
    end
    put(f.d_server_version, "version", "text")
    local fp = put(f.d_fp, "fp", "bytes")
    local fingerprint = fp and ("SHA256:" .. base64(fp)) or "?"
    if fp then t:add(f.d_fingerprint, body(map.by_key.fp.offset, map.by_key.fp.length), fingerprint):set_generated() end
    pinfo.cols.info = string.format('CPI discovery reply, nonce %s: "%s" port %s %s', nonce, tostring(name), tostring(port), fingerprint)
    return tvb:len()
end

-- Datagrams on the CPI port: below 0x40 discovery, else QUIC, as the server tells them apart (§1).
local cpi_udp = Proto("cpi_udp", "faxlan CPI port")
local quic_dissector = Dissector.get("quic")

function cpi_udp.dissector(tvb, pinfo, tree)
    if tvb:len() > 0 and tvb(0, 1):uint() < 0x40 then return dissect_discovery(tvb, pinfo, tree) end
    return quic_dissector:call(tvb, pinfo, tree)
end

-- Discovery on another port (a relay's, say): only datagrams of exactly the §2 shape.
local function discovery_heuristic(tvb, pinfo, tree)
    local n = tvb:len()
    if n < 11 or tvb(1, 1):uint() ~= 1 then return false end
    local kind = tvb(0, 1):uint()
    if kind == 1 then
        if n < 512 then return false end
        for i = 10, n - 1 do
            if tvb(i, 1):uint() ~= 0 then return false end
        end
    elseif kind == 2 then
        local first = tvb(10, 1):uint()
        if first < 0xA1 or first > 0xB7 then return false end
        local ok, map = pcall(decode, tvb(10):tvb(), 0, 1)
        if not ok or map.by_key.fp == nil or map.by_key.name == nil then return false end
    else
        return false
    end
    dissect_discovery(tvb, pinfo, tree)
    return true
end
cpi_udp:register_heuristic("udp", discovery_heuristic)

----------------------------------------------------------------------------------------------------
-- CPI frames on QUIC streams (§3)

-- Per stream: the request's operation (answers carry only its id) and where raw bytes begin
-- (after an upload.data request, and after a successful inbox.fetch answer). Keyed by the QUIC
-- connection, the stream and the sender.
local ops, raw_from = {}, {}

function cpi.init()
    ops, raw_from = {}, {}
end

local SECRET = {password = true, current = true}

local function add_members(tree, tvb, map)
    for _, e in ipairs(map.entries) do
        local shown = show(e.value)
        if SECRET[e.key.value] and e.value.kind == "text" and not cpi.prefs.show_passwords then
            shown = "(hidden; the preference cpi.show_passwords shows it)"
        end
        local label = e.key.value .. ": " .. shown
        local item = tree:add(f.member, tvb(e.key.offset, e.key.length + e.value.length), label)
        item:set_text(label)
        if e.value.kind == "map" then
            add_members(item, tvb, e.value)
        elseif e.value.kind == "array" then
            for i, element in ipairs(e.value.value) do
                local element_label = "[" .. (i - 1) .. "]: " .. show(element)
                local sub = item:add(f.member, tvb(element.offset, element.length), element_label)
                sub:set_text(element_label)
                if element.kind == "map" then add_members(sub, tvb, element) end
            end
        end
    end
end

local function text(map, key)
    local node = map.by_key[key]
    return node and node.kind == "text" and node.value or nil
end

-- One frame's CBOR map; returns a one-line summary for the Info column.
local function dissect_message(tvb, pinfo, tree, stream_key, sender_key)
    local ok, map = pcall(decode, tvb, 0, 1)
    if not ok then
        tree:add_proto_expert_info(e_malformed, "not CPI's CBOR: " .. tostring(map))
        return "malformed"
    end
    if map.kind ~= "map" then
        tree:add_proto_expert_info(e_malformed, "a frame must be a CBOR map, not " .. map.kind)
        return "malformed"
    end
    if map.length < tvb:len() then
        tree:add_proto_expert_info(e_malformed, (tvb:len() - map.length) .. " bytes after the frame's CBOR map")
    end
    local function add(field, key)
        local node = map.by_key[key]
        if node == nil then return nil end
        return add_node(tree, field, tvb, node, key)
    end
    local by = map.by_key
    if by.v then add(f.v, "v") end
    local summary
    if by.op then
        local op = text(map, "op") or "?"
        tree:add(f.kind, "request"):set_generated()
        add(f.id, "id")
        add(f.op, "op")
        add(f.sess, "sess")
        add(f.key, "key")
        if not pinfo.visited then
            ops[stream_key] = op
            if op == "upload.data" then raw_from[sender_key] = pinfo.number end
        end
        summary = string.format("request id=%s %s", tostring(by.id and by.id.value), op)
    elseif by.ok then
        local request = ops[stream_key]
        tree:add(f.kind, by.ok.value == true and "response" or "error"):set_generated()
        add(f.id, "id")
        add(f.ok, "ok")
        if request then tree:add(f.response_to, request):set_generated() end
        local suffix = request and (" (" .. request .. ")") or ""
        if by.ok.value == true then
            if request == "inbox.fetch" and not pinfo.visited then raw_from[sender_key] = pinfo.number end
            summary = string.format("response id=%s ok%s", tostring(by.id and by.id.value), suffix)
        else
            local err = by.err
            local code = "?"
            if err and err.kind == "map" then
                local et = tree:add(f.err, tvb(err.offset, err.length))
                local function add_err(field, key)
                    local node = err.by_key[key]
                    if node then add_node(et, field, tvb, node, key) end
                end
                add_err(f.err_code, "code")
                add_err(f.err_num, "num")
                add_err(f.err_msg, "msg")
                code = text(err, "code") or "?"
                tree:add_proto_expert_info(e_error, "CPI error " .. code .. suffix)
            end
            summary = string.format("error id=%s %s%s", tostring(by.id and by.id.value), code, suffix)
        end
    elseif by.event then
        tree:add(f.kind, "event"):set_generated()
        local ev = by.event
        local seq, etype = "?", "?"
        if ev.kind == "map" then
            local et = tree:add(f.event, tvb(ev.offset, ev.length))
            for _, pair in ipairs({{"seq", f.ev_seq}, {"type", f.ev_type}, {"time", f.ev_time}}) do
                local key, field = pair[1], pair[2]
                local node = ev.by_key[key]
                if node then add_node(et, field, tvb, node, key) end
            end
            seq = tostring(ev.by_key.seq and ev.by_key.seq.value)
            etype = text(ev, "type") or "?"
            if ev.by_key.body and ev.by_key.body.kind == "map" then add_members(et:add(f.body, tvb(ev.by_key.body.offset, ev.by_key.body.length)), tvb, ev.by_key.body) end
        end
        summary = string.format("event seq=%s %s", seq, etype)
    elseif by.ack then
        tree:add(f.kind, "ack"):set_generated()
        add(f.ack, "ack")
        summary = "ack " .. tostring(by.ack.value)
    else
        tree:add(f.kind, "unknown"):set_generated()
        summary = "frame of an unknown kind"
    end
    if by.body and by.body.kind == "map" then
        add_members(tree:add(f.body, tvb(by.body.offset, by.body.length)), tvb, by.body)
    end
    return summary
end

function cpi.dissector(tvb, pinfo, tree)
    local stream = last(quic_stream_id)
    local connection = last(quic_connection)
    local stream_key = tostring(connection and connection.value) .. "/" .. tostring(stream and stream.value)
    local sender_key = stream_key .. "/" .. tostring(pinfo.src) .. ":" .. pinfo.src_port
    local off, n = 0, tvb:len()
    local summaries = {}
    while off < n do
        local raw = raw_from[sender_key]
        if raw ~= nil and pinfo.number > raw then
            local t = tree:add(cpi, tvb(off), "faxlan CPI document bytes")
            t:add(f.data_length, tvb(off), n - off)
            summaries[#summaries + 1] = (n - off) .. " document bytes"
            off = n
            break
        end
        if n - off < 4 then
            pinfo.desegment_offset = off
            pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
            break
        end
        local length = tvb(off, 4):uint()
        if length > MAX_FRAME then
            local t = tree:add(cpi, tvb(off), "faxlan CPI")
            t:add_proto_expert_info(e_malformed, "frame length " .. length .. " beyond the 1 MiB limit")
            summaries[#summaries + 1] = "malformed"
            off = n
            break
        end
        if n - off - 4 < length then
            pinfo.desegment_offset = off
            pinfo.desegment_len = length + 4 - (n - off)
            break
        end
        local t = tree:add(cpi, tvb(off, 4 + length), "faxlan CPI")
        if stream then t:add(f.stream, stream.value):set_generated() end
        t:add(f.length, tvb(off, 4))
        local summary = length > 0 and dissect_message(tvb(off + 4, length):tvb(), pinfo, t, stream_key, sender_key) or "empty frame"
        t:append_text(", " .. summary)
        summaries[#summaries + 1] = summary
        off = off + 4 + length
        -- Bytes after the frame in the same chunk are raw when the frame said so.
        if raw_from[sender_key] == pinfo.number and off < n then
            local d = tree:add(cpi, tvb(off), "faxlan CPI document bytes")
            d:add(f.data_length, tvb(off), n - off)
            summaries[#summaries + 1] = (n - off) .. " document bytes"
            off = n
        end
    end
    if #summaries > 0 then
        pinfo.cols.protocol = "CPI"
        local info = "CPI " .. table.concat(summaries, "; ")
        if stream then info = info .. " [stream " .. tostring(stream.value) .. "]" end
        pinfo.cols.info:append(", " .. info)
    end
    return off
end

DissectorTable.get("quic.proto"):add("cpi/1", cpi)

local registered_port
local function register_port()
    local table_ = DissectorTable.get("udp.port")
    if registered_port then table_:remove(registered_port, cpi_udp) end
    registered_port = cpi.prefs.port
    table_:add(registered_port, cpi_udp)
end

function cpi.prefs_changed()
    register_port()
end

register_port()
