// Package bagit reads, writes and validates BagIt bags (RFC 8493, BagIt
// 1.0, and the 0.97 bags still in use). There are only a few nouns here:
// a bag is a directory with a payload under data/ and tag files beside it;
// a Writer builds one; Validate checks one and returns a Result, with the
// bag's Tags (bag-info.txt), its Problems (what makes it invalid) and its
// Warnings (what is allowed but suspect). The package knows nothing of
// Sillok.
//
// # Basics
//
// A bag, as Writer writes it:
//
//	bagit.txt                 BagIt-Version: 1.0, Tag-File-Character-Encoding: UTF-8
//	bag-info.txt              Label: value lines (Bagging-Date, Payload-Oxum, ...)
//	manifest-sha256.txt       "HEX  data/PATH" for every payload file
//	manifest-sha512.txt       the same with SHA-512 (one manifest per algorithm)
//	tagmanifest-sha256.txt    "HEX  FILE" for every tag file above
//	data/...                  the payload
//
// Writer writes into a temporary directory beside the bag's final name,
// makes every file durable (one syncfs on Linux, an fsync a file
// elsewhere), and renames the directory into place at Finish: a bag that
// exists under its name is whole.
//
// Validate checks everything RFC 8493 asks of a valid bag: bagit.txt
// (first, exactly, its two lines), the tag files' character encoding,
// every line of every payload and tag manifest (a checksum of the right
// length, a path inside the bag: under data/ for the payload, nowhere
// near ".." or an absolute path), that every payload file is listed in
// every payload manifest and every listed file is there (a fetch.txt that
// lists a file not yet fetched makes the bag incomplete, and so invalid),
// every checksum, and the Payload-Oxum of bag-info.txt.
//
// # Caveats
//
// Some bags in use were made by tools that bend the rules; Validate
// accepts them with a warning rather than a problem, as the Library of
// Congress conformance suite asks: a manifest line written by md5sum in
// binary mode ("HEX *data/x"), a path written "./data/x", the same file
// listed twice with the same checksum (in a 0.97 bag: it is a problem in a
// 1.0 one), an entry whose file is there under another case or Unicode
// normalization (a bag made on a file system that folds them), an
// operating system's housekeeping file (.DS_Store, Thumbs.db) listed but
// dropped by a copy. A version other than 0.97 and 1.0 is validated by
// the rules of 0.97, with a warning.
//
// Symbolic links are refused: a bag's files are its own.
package bagit
