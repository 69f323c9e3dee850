import ArgumentParser
import Index
import Study

// Option groups shared by commands, so one option has one name, one help text and one meaning
// everywhere. The conventions: a person who records decisions is `--coder` in the coding commands
// and `--reviewer` in the review commands; lists are repeated options (`--coder ana --coder ben`);
// `--format text` is the plain-text format wherever a command has one; `--output FILE` writes
// atomically instead of printing.

/// `--where`: only participants whose attributes (participants.csv) match.
struct ParticipantSelection: ParsableArguments {
    @Option(name: .customLong("where"),
            help: ArgumentHelp("Only participants whose attributes match, e.g. role=engineer or years_experience>=5 (repeatable; all must hold).",
                               valueName: "condition"))
    var conditions: [String] = []

    /// The selected participants' ids, or nil when no condition was given (everyone).
    func participants(in index: StudyIndex) throws -> Set<String>? {
        let filter = try ParticipantFilter(conditions)
        return filter.isEmpty ? nil : try filter.participants(in: index)
    }
}

/// `--output FILE`: write there, atomically, instead of to standard output.
struct OutputFile: ParsableArguments {
    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    func write(_ text: String) throws {
        try Terminal.write(text, to: output)
    }
}
