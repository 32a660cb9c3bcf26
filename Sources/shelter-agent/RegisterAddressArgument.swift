import ArgumentParser
import ShelterCore

/// An `--address` value of `read` and `scan`: a protocol address 0-65535 (0-based), in decimal or `0x` hex,
/// kept with the text as typed so a register number from a device manual is recognised.
///
/// Manuals often give Modicon register numbers, 1-based with the table as first digit: coil 00001, discrete
/// input 10001, input register 30001, holding register 40001 (six digits for the extended range: 400001-465536).
/// On the wire holding register 40001 is address 0. A decimal number of five or six digits whose first digit
/// is the table's (`0` coil, `1` discrete input, `3` input register, `4` holding register) is refused with the
/// address it stands for; to mean such a protocol address itself, write it in hex (`--address 0x9C41`).
struct RegisterAddressArgument: ExpressibleByArgument, Sendable {
    /// The number typed, not yet checked against 0-65535.
    var number: Int
    /// The text as typed, e.g. `40001`, `0x9C41`.
    var text: String
    /// Whether the text was hex (`0x…`): never taken for a register number.
    var isHex: Bool

    init?(argument: String) {
        let lower = argument.lowercased()
        if lower.hasPrefix("0x") {
            guard let number = Int(lower.dropFirst(2), radix: 16) else { return nil }
            (self.number, isHex) = (number, true)
        } else {
            guard !argument.isEmpty, argument.allSatisfy(\.isASCII), let number = Int(argument), number >= 0 else {
                return nil
            }
            (self.number, isHex) = (number, false)
        }
        text = argument
    }

    init(_ address: UInt16) {
        (number, text, isHex) = (Int(address), "\(address)", false)
    }

    var defaultValueDescription: String { text }

    /// The protocol address to send for `function`.
    /// - Throws: `ValidationError` for a register number of that table (naming the address it stands for) or a
    ///   number past 65535.
    func address(in function: RegisterFunction) throws -> UInt16 {
        if let address = registerNumberAddress(in: function) {
            let itself =
                number <= 65535
                ? " (to read protocol address \(number) itself, write it in hex: "
                    + "--address 0x\(String(number, radix: 16, uppercase: true)))" : ""
            throw ValidationError(
                "--address \(text): addresses are 0-based: \(Self.noun(function)) \(text) is address \(address). "
                    + "Give --address \(address)\(itself).")
        }
        guard let address = UInt16(exactly: number) else {
            throw ValidationError("--address must be 0-65535, got \(text).")
        }
        return address
    }

    /// The 0-based address a Modicon register number of `function`'s table stands for, if the text is one.
    private func registerNumberAddress(in function: RegisterFunction) -> Int? {
        guard !isHex, text.count == 5 || text.count == 6, let first = text.first, first == Self.tableDigit(function),
            let register = Int(text.dropFirst()), register >= 1, register <= (text.count == 5 ? 9999 : 65536)
        else { return nil }
        return register - 1
    }

    /// The leading digit of a table's register numbers.
    private static func tableDigit(_ function: RegisterFunction) -> Character {
        switch function {
        case .coil: "0"
        case .discreteInput: "1"
        case .inputRegister: "3"
        case .holdingRegister: "4"
        }
    }

    /// What one entry of the table is called: `holding register`, `input register`, `coil`, `discrete input`.
    private static func noun(_ function: RegisterFunction) -> String {
        switch function {
        case .coil: "coil"
        case .discreteInput: "discrete input"
        case .inputRegister: "input register"
        case .holdingRegister: "holding register"
        }
    }
}
