/* What one kernel crossing and one wake-up of another process cost on this machine:
 * a getppid syscall, and a one-byte pipe round trip between two processes.
 *   gcc -O2 hop.c -o hop && ./hop          (taskset -c 0 ./hop: both on one core) */
#include <stdio.h>
#include <unistd.h>
#include <time.h>
#include <sys/syscall.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(){
  int n=200000; double t0=now();
  for(int i=0;i<n;i++) syscall(SYS_getppid);
  double t1=now(); printf("syscall: %.2f us\n",(t1-t0)/n*1e6);
  int a[2],b[2]; pipe(a); pipe(b); char c='x'; int m=20000;
  if(fork()==0){ for(int i=0;i<m;i++){read(a[0],&c,1);write(b[1],&c,1);} _exit(0);}
  t0=now(); for(int i=0;i<m;i++){write(a[1],&c,1);read(b[0],&c,1);} t1=now();
  printf("pipe round trip between processes: %.2f us\n",(t1-t0)/m*1e6);
}
