// Streaming readers (files or buffers), writing to strings, SMILES and InChI.
#include "copenbabel.h"
#include "support.hpp"

#include <openbabel/obconversion.h>

#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>

using namespace OpenBabel;

struct rgdm_ob_reader {
    OBConversion conversion;
    std::unique_ptr<std::istream> stream;
    std::string format;
    bool record_delimited = false;  ///< SDF: a bad record ends at "$$$$"
    bool line_based = false;        ///< SMILES: a bad record ends at the newline
    bool finished = false;          ///< XML after an error: libxml cannot resynchronise
    long long offset = 0;
};

namespace {

std::string lowercase(std::string text) {
    for (char &c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

/// Configures the reader for `format` (a name or extension). False if unknown.
bool choose_format(rgdm_ob_reader &reader, const std::string &format) {
    OBFormat *in = OBConversion::FindFormat(format.c_str());
    if (!in || (in->Flags() & NOTREADABLE) || !reader.conversion.SetInFormat(in)) return false;
    std::string name = lowercase(format);
    reader.format = name;
    reader.record_delimited = name == "sdf" || name == "sd" || name == "mdl" || name == "mol" || name == "mdl";
    reader.line_based = name == "smi" || name == "smiles" || name == "can" || name == "ism" || name == "inchi";
    return true;
}

std::string extension_of(const std::string &path) {
    std::string name = path;
    size_t slash = name.find_last_of('/');
    if (slash != std::string::npos) name = name.substr(slash + 1);
    size_t dot = name.find_last_of('.');
    return dot == std::string::npos ? "" : name.substr(dot + 1);
}

/// True if only whitespace lies between `from` and the end of the stream.
bool only_whitespace_from(std::istream &in, std::streampos from) {
    in.clear();
    in.seekg(from);
    int c;
    while ((c = in.get()) != EOF) {
        if (!std::isspace(c)) return false;
    }
    return true;
}

/// True if only whitespace is left to read; the position is kept otherwise.
bool only_whitespace_left(std::istream &in) {
    if (in.eof()) return true;
    std::streampos here = in.tellg();
    if (here == std::streampos(-1)) return false;
    if (only_whitespace_from(in, here)) return true;
    in.clear();
    in.seekg(here);
    return false;
}

/// Moves the stream past the bad record that began at `from`.
void skip_bad_record(rgdm_ob_reader &reader, std::streampos from, std::streampos after_failure) {
    std::istream &in = *reader.stream;
    in.clear();
    if (reader.record_delimited || reader.line_based) {
        in.seekg(from);
        std::string line;
        while (std::getline(in, line)) {
            if (reader.line_based) break;
            if (line.rfind("$$$$", 0) == 0) break;
        }
        return;
    }
    in.seekg(after_failure);
    if (after_failure == from || after_failure == std::streampos(-1)) {
        in.seekg(from);
        std::string line;
        std::getline(in, line);  // make progress at least one line
    }
}

rgdm_ob_reader *open(std::unique_ptr<std::istream> stream, const std::string &format, const std::string &what) {
    auto reader = std::make_unique<rgdm_ob_reader>();
    if (!choose_format(*reader, format)) {
        rgdm_ob::fail(RGDM_OB_ERR_FORMAT, "unknown input format '" + format + "' for " + what);
        return nullptr;
    }
    reader->stream = std::move(stream);
    reader->conversion.SetInStream(reader->stream.get(), false);
    return reader.release();
}

/// Sets `conversion` up to write `format` with space-separated `options`.
bool set_up_output(OBConversion &conversion, const char *format, const char *options) {
    if (!conversion.SetOutFormat(format)) {
        rgdm_ob::fail(RGDM_OB_ERR_FORMAT, std::string("unknown output format '") + format + "'");
        return false;
    }
    if (options) {
        std::istringstream words(options);
        std::string option;
        while (words >> option) conversion.AddOption(option.c_str(), OBConversion::OUTOPTIONS);
    }
    return true;
}

std::string write(OBMol &mol, const char *format, const char *options, bool *ok) {
    OBConversion conversion;
    *ok = false;
    if (!set_up_output(conversion, format, options)) return "";
    std::string text = conversion.WriteString(&mol);
    if (text.empty() && mol.NumAtoms() > 0) {
        std::string reason = rgdm_ob::last_logged_error();
        rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, reason.empty() ? std::string("Open Babel wrote nothing in format ") + format : reason);
        return "";
    }
    *ok = true;
    return text;
}

}  // namespace

extern "C" rgdm_ob_reader *rgdm_ob_reader_open_file(const char *path, const char *format) {
    rgdm_ob::clear_log();
    std::string chosen = format ? format : extension_of(path);
    if (!format && lowercase(chosen) == "gz") {
        rgdm_ob::fail(RGDM_OB_ERR_FORMAT, std::string("gzip input is not supported; decompress ") + path + " first");
        return nullptr;
    }
    if (chosen.empty()) {
        rgdm_ob::fail(RGDM_OB_ERR_FORMAT, std::string("no format given and no extension on ") + path);
        return nullptr;
    }
    auto stream = std::make_unique<std::ifstream>(path, std::ios::in | std::ios::binary);
    if (!stream->is_open()) {
        rgdm_ob::fail(RGDM_OB_ERR_IO, std::string("cannot open ") + path + " for reading");
        return nullptr;
    }
    return open(std::move(stream), chosen, path);
}

extern "C" rgdm_ob_reader *rgdm_ob_reader_open_buffer(const char *data, size_t length, const char *format) {
    rgdm_ob::clear_log();
    if (!format) {
        rgdm_ob::fail(RGDM_OB_ERR_FORMAT, "no format given for an in-memory buffer");
        return nullptr;
    }
    auto stream = std::make_unique<std::istringstream>(std::string(data, length), std::ios::in | std::ios::binary);
    return open(std::move(stream), format, "buffer");
}

extern "C" int rgdm_ob_reader_next(rgdm_ob_reader *reader, rgdm_ob_mol *mol) {
    rgdm_ob::clear_log();
    std::istream &in = *reader->stream;
    in.clear();
    std::streampos start = in.tellg();
    reader->offset = static_cast<long long>(start);
    if (reader->finished || in.peek() == EOF) return RGDM_OB_END;
    mol->mol.Clear();
    bool threw = false;
    bool ok = false;
    int status = rgdm_ob::guarded(RGDM_OB_ERR_PARSE, [&] {
        ok = reader->conversion.Read(&mol->mol);
        return RGDM_OB_OK;
    });
    if (status != RGDM_OB_OK) {
        threw = true;
        mol->mol.Clear();
    }
    unsigned int flags = reader->conversion.GetInFormat()->Flags();
    if (ok) {
        // A multi-record file's trailer (PDB's END after the last ENDMDL)
        // reads as a record with no atoms; Open Babel's own conversions drop
        // those in formats that do not allow zero-atom molecules.
        if (mol->mol.NumAtoms() == 0 && !(flags & ZEROATOMSOK) && only_whitespace_left(in)) return RGDM_OB_END;
        return RGDM_OB_OK;
    }
    std::string reason = threw ? rgdm_ob_last_error() : rgdm_ob::last_logged_error();
    // XML formats (CML) read ahead through libxml: after the last <molecule>
    // the stream is used up and the reader fails without an error.
    if ((flags & READXML) && reason.empty() && only_whitespace_left(in)) return RGDM_OB_END;
    if (flags & READXML) {
        // A well-formedness error is fatal in XML: nothing after it can be read.
        reader->finished = true;
        return rgdm_ob::fail(RGDM_OB_ERR_PARSE, reason.empty() ? "Open Babel could not parse the record as " + reader->format
                                                               : reason + " (the rest of the XML file cannot be read)");
    }
    std::streampos after = in.fail() ? std::streampos(-1) : in.tellg();
    if (only_whitespace_from(in, start)) return RGDM_OB_END;
    skip_bad_record(*reader, start, after);
    return rgdm_ob::fail(RGDM_OB_ERR_PARSE, reason.empty() ? "Open Babel could not parse the record as " + reader->format : reason);
}

extern "C" long long rgdm_ob_reader_offset(const rgdm_ob_reader *reader) { return reader->offset; }

extern "C" void rgdm_ob_reader_close(rgdm_ob_reader *reader) { delete reader; }

extern "C" char *rgdm_ob_write_string(rgdm_ob_mol *mol, const char *format, const char *options) {
    rgdm_ob::clear_log();
    bool ok;
    return rgdm_ob::guarded_string(RGDM_OB_ERR_CHEMISTRY, [&]() -> char * {
        std::string text = write(mol->mol, format, options, &ok);
        return ok ? rgdm_ob::copy_string(text) : nullptr;
    });
}

struct rgdm_ob_writer {
    OBConversion conversion;
    std::ostringstream out;
    std::string format;
    OBMol pending;
    bool has_pending = false;
    int records = 0;  ///< records handed in so far; the one held back is the last of them
};

namespace {

/// Writes the record held back (the last one of the file if `last`) and
/// returns the text the conversion has produced since the previous call.
char *flush_pending(rgdm_ob_writer &writer, bool last) {
    if (writer.has_pending) {
        writer.has_pending = false;
        writer.conversion.SetLast(last);
        if (!writer.conversion.Write(&writer.pending, &writer.out)) {
            std::string reason = rgdm_ob::last_logged_error();
            rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, "record " + std::to_string(writer.records) + ": " +
                                                     (reason.empty() ? "Open Babel could not write it as " + writer.format : reason));
            return nullptr;
        }
    }
    std::string text = writer.out.str();
    writer.out.str("");
    return rgdm_ob::copy_string(text);
}

}  // namespace

extern "C" rgdm_ob_writer *rgdm_ob_writer_new(const char *format, const char *options) {
    rgdm_ob::clear_log();
    auto writer = std::make_unique<rgdm_ob_writer>();
    if (!set_up_output(writer->conversion, format, options)) return nullptr;
    writer->format = format;
    writer->conversion.SetOutStream(&writer->out, false);
    return writer.release();
}

extern "C" char *rgdm_ob_writer_add(rgdm_ob_writer *writer, rgdm_ob_mol *mol) {
    rgdm_ob::clear_log();
    char *text = rgdm_ob::guarded_string(RGDM_OB_ERR_CHEMISTRY, [&] { return flush_pending(*writer, false); });
    writer->pending = mol->mol;
    writer->has_pending = true;
    writer->records += 1;
    return text;
}

extern "C" char *rgdm_ob_writer_finish(rgdm_ob_writer *writer) {
    rgdm_ob::clear_log();
    return rgdm_ob::guarded_string(RGDM_OB_ERR_CHEMISTRY, [&] { return flush_pending(*writer, true); });
}

extern "C" void rgdm_ob_writer_free(rgdm_ob_writer *writer) { delete writer; }

extern "C" char *rgdm_ob_canonical_smiles(rgdm_ob_mol *mol, int stereo) {
    rgdm_ob::clear_log();
    return rgdm_ob::guarded_string(RGDM_OB_ERR_CHEMISTRY, [&]() -> char * {
        bool ok;
        std::string text = write(mol->mol, "can", stereo ? "n" : "n i", &ok);
        if (!ok) return nullptr;
        size_t cut = text.find_first_of("\t\r\n");
        return rgdm_ob::copy_string(cut == std::string::npos ? text : text.substr(0, cut));
    });
}

extern "C" char *rgdm_ob_inchi(rgdm_ob_mol *mol, int key) {
    rgdm_ob::clear_log();
    bool ok;
    std::string text = write(mol->mol, key ? "inchikey" : "inchi", nullptr, &ok);
    if (!ok) return nullptr;
    size_t cut = text.find_first_of("\t\r\n");
    text = cut == std::string::npos ? text : text.substr(0, cut);
    if (text.empty()) {
        rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, "no InChI for this molecule");
        return nullptr;
    }
    return rgdm_ob::copy_string(text);
}

struct rgdm_ob_parser {
    OBConversion conversion;
    std::istringstream stream;
    std::string format;
};

extern "C" rgdm_ob_parser *rgdm_ob_parser_new(const char *format) {
    rgdm_ob::clear_log();
    OBFormat *in = OBConversion::FindFormat(format);
    auto parser = std::make_unique<rgdm_ob_parser>();
    if (!in || (in->Flags() & NOTREADABLE) || !parser->conversion.SetInFormat(in)) {
        rgdm_ob::fail(RGDM_OB_ERR_FORMAT, std::string("unknown input format '") + format + "'");
        return nullptr;
    }
    parser->format = lowercase(format);
    return parser.release();
}

extern "C" int rgdm_ob_parser_parse(rgdm_ob_parser *parser, const char *text, size_t length, rgdm_ob_mol *mol) {
    rgdm_ob::clear_log();
    parser->stream.clear();
    parser->stream.str(std::string(text, length));
    // Open Babel wraps the stream in a line-ending filter with its own state: set it up afresh.
    parser->conversion.SetInStream(&parser->stream, false);
    mol->mol.Clear();
    bool ok = false;
    int status = rgdm_ob::guarded(RGDM_OB_ERR_PARSE, [&] {
        ok = parser->conversion.Read(&mol->mol);
        return RGDM_OB_OK;
    });
    if (status != RGDM_OB_OK) {
        mol->mol.Clear();
        return status;
    }
    if (ok) return RGDM_OB_OK;
    std::string reason = rgdm_ob::last_logged_error();
    return rgdm_ob::fail(RGDM_OB_ERR_PARSE, reason.empty() ? "Open Babel could not parse the record as " + parser->format : reason);
}

extern "C" void rgdm_ob_parser_free(rgdm_ob_parser *parser) { delete parser; }
