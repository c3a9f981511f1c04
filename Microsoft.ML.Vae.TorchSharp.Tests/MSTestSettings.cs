// torch.set_num_threads is process-wide: tests that train in parallel would change each other's thread count.
[assembly: DoNotParallelize]
