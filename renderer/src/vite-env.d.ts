// Vite's import suffixes the renderer uses: `?worker` gives a constructor of a
// module worker served from our own origin.
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
