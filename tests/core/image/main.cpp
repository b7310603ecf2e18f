// Runs the image test classes in one executable; the exit code is non-zero if any test failed.
#include <QtTest>

int runResampleTests(int argc, char** argv);
int runPreprocessorTests(int argc, char** argv);
int runLoaderTests(int argc, char** argv);

int main(int argc, char** argv) {
    int failed = 0;
    failed += runResampleTests(argc, argv);
    failed += runPreprocessorTests(argc, argv);
    failed += runLoaderTests(argc, argv);
    return failed == 0 ? 0 : 1;
}
