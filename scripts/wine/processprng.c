/*
 * bcryptprimitives.dll for Wine 8, a test fixture only.
 *
 * Go 1.24 and later read random numbers at start-up from ProcessPrng in
 * bcryptprimitives.dll, which every supported Windows has but Wine before 9
 * does not export; a Go program then dies before main. This DLL gives the
 * test prefix that one function, backed by RtlGenRandom (advapi32's
 * SystemFunction036), which Wine implements. Nothing of it ships.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
