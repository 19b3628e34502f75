// Runs the example test files of examples/testing-your-controller/ as part of `npm test` (they are documentation, kept passing).

import '../../examples/testing-your-controller/with-fake-informers.test.ts';
import '../../examples/testing-your-controller/with-fake-apiserver.test.ts';
