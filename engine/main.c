#include <stdio.h>
#include "version.h"
int main(void) { printf("zonesim %s\n", ZS_VERSION); return 0; }
