// libsystemc's own main() refers to sc_main; our binaries bring their own main
// (gtest's), so this is never called. It exists only to satisfy the linker.
extern "C" int sc_main(int, char**) { return 1; }
