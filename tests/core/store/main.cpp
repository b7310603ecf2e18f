// Runs the store test classes in one executable; the exit code is non-zero if any test failed.
#include <QtTest>

int runSha256Tests(int argc, char** argv);
int runDatabaseTests(int argc, char** argv);
int runSchemaTests(int argc, char** argv);
int runRecordTests(int argc, char** argv);
int runPairQueryTests(int argc, char** argv);
int runImporterTests(int argc, char** argv);

int main(int argc, char** argv) {
    int failed = 0;
    failed += runSha256Tests(argc, argv);
    failed += runDatabaseTests(argc, argv);
    failed += runSchemaTests(argc, argv);
    failed += runRecordTests(argc, argv);
    failed += runPairQueryTests(argc, argv);
    failed += runImporterTests(argc, argv);
    return failed == 0 ? 0 : 1;
}
