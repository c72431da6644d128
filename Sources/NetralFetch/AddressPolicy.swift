/// Which IP addresses a scan may connect to without `allow_private`: only public unicast ones.
/// Checked on the address curl is about to connect to (after DNS, on every redirect), so a name
/// that resolves to 127.0.0.1 or a redirect to 10.0.0.1 is refused the same way.
public enum AddressPolicy {
    /// True for loopback, private (RFC 1918, unique-local), link-local, multicast, "this
    /// network", carrier-grade NAT, broadcast and documentation-reserved addresses. `bytes` is
    /// 4 (IPv4) or 16 (IPv6) bytes in network order; anything else counts as not public.
    public static func isNonPublic(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 16 {
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses are judged as IPv4.
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                return isNonPublic(Array(bytes[12..<16]))
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            if bytes[0] == 0xFF { return true }  // multicast ff00::/8
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }  // link-local fe80::/10
            if bytes[0] & 0xFE == 0xFC { return true }  // unique local fc00::/7
            if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return true }  // 2001:db8::/32
            // NAT64 64:ff9b::/96 carries an IPv4 address.
            if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B { return isNonPublic(Array(bytes[12..<16])) }
            return false
        }
        guard bytes.count == 4 else { return true }
        let (a, b) = (bytes[0], bytes[1])
        switch a {
        case 0, 10, 127: return true
        case 100 where b & 0xC0 == 64: return true  // 100.64.0.0/10
        case 169 where b == 254: return true  // link-local
        case 172 where b & 0xF0 == 16: return true  // 172.16.0.0/12
        case 192 where b == 168: return true
        case 192 where b == 0 && bytes[2] == 0: return true  // 192.0.0.0/24
        case 198 where b & 0xFE == 18: return true  // benchmarking 198.18.0.0/15
        case 224...255: return true  // multicast, reserved, broadcast
        default: return false
        }
    }

    /// The address as text, for messages.
    public static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        var index = 0
        while index + 1 < bytes.count {
            groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
            index += 2
        }
        return groups.joined(separator: ":")
    }
}
