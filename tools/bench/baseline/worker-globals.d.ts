// The baseline is worker code typechecked by the Node-side project (tools/tsconfig.json), which
// has Node's types rather than the Workers runtime's. The one runtime type that the product code
// it imports names (src/domain/tracking.ts) is declared here as the runtime declares it.
type BufferSource = ArrayBufferView | ArrayBuffer
