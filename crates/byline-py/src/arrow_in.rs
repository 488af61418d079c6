//! Arrow in: a column of texts handed over through the Arrow PyCapsule interface (`__arrow_c_stream__`, as a
//! polars `Series` or a pyarrow `ChunkedArray` offer it, or `__arrow_c_array__`, as a pyarrow `Array` does) is
//! read where it lies: the detectors borrow each text from the Arrow buffers, no Python `str` is made and no
//! text is copied. A plain Python sequence of `str` still works (its texts are copied once, into Rust).
//!
//! This is the one module of the workspace with `unsafe` code: importing a C-interface struct is `unsafe` by
//! nature (the producer vouches for it). What byline does not take on trust is checked before any text is
//! read: the column's type (`string`, `large_string` or `string_view`; anything else is a `TypeError` naming
//! the type), and that every value is UTF-8 (polars-arrow's import trusts the producer on that; byline
//! validates offsets, views and bytes, without copying, so a broken producer is an error, not undefined
//! behaviour).

#![allow(unsafe_code)]

use polars::prelude::{PolarsError, PolarsResult};
use polars_arrow::array::{Array, Utf8Array, Utf8ViewArray};
use polars_arrow::datatypes::ArrowDataType;
use polars_arrow::ffi::{
    ArrowArray, ArrowArrayStream, ArrowArrayStreamReader, ArrowSchema, import_array_from_c, import_field_from_c,
};
use polars_arrow::offset::Offset;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyString, PyTuple};

/// One column of texts: Arrow arrays borrowed from the producer, or texts from a Python sequence.
pub enum Texts {
    Arrow(Vec<StrArray>),
    Owned(Vec<Option<String>>),
}

/// An Arrow array of strings in one of the three layouts, validated as UTF-8.
pub enum StrArray {
    Utf8(Utf8Array<i32>),
    LargeUtf8(Utf8Array<i64>),
    View(Utf8ViewArray),
}

impl StrArray {
    fn len(&self) -> usize {
        match self {
            StrArray::Utf8(a) => a.len(),
            StrArray::LargeUtf8(a) => a.len(),
            StrArray::View(a) => a.len(),
        }
    }

    fn get(&self, i: usize) -> Option<&str> {
        match self {
            StrArray::Utf8(a) => a.get(i),
            StrArray::LargeUtf8(a) => a.get(i),
            StrArray::View(a) => a.get(i),
        }
    }
}

impl Texts {
    /// Reads `obj` (`what` names the argument in errors): an Arrow string column, or a sequence of `str`/`None`.
    pub fn extract(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        if obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!("{what}: expected a sequence of texts, got one str")));
        }
        if obj.hasattr("__arrow_c_stream__")? {
            let capsule = obj.call_method0("__arrow_c_stream__")?.cast_into::<PyCapsule>()?;
            return import_stream(&capsule, what).map(Texts::Arrow);
        }
        if obj.hasattr("__arrow_c_array__")? {
            let pair = obj.call_method0("__arrow_c_array__")?.cast_into::<PyTuple>()?;
            if pair.len() != 2 {
                return Err(PyValueError::new_err(format!(
                    "{what}: __arrow_c_array__ gave {} objects, expected (schema, array)",
                    pair.len()
                )));
            }
            let schema = pair.get_item(0)?.cast_into::<PyCapsule>()?;
            let array = pair.get_item(1)?.cast_into::<PyCapsule>()?;
            return import_array(&schema, &array, what).map(|a| Texts::Arrow(vec![a]));
        }
        let texts: Vec<Option<String>> = obj.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}: expected a sequence of str (or None), or an Arrow string column (a polars Series, a pyarrow \
                 Array or ChunkedArray), got {}",
                obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".to_owned())
            ))
        })?;
        Ok(Texts::Owned(texts))
    }

    pub fn len(&self) -> usize {
        match self {
            Texts::Arrow(chunks) => chunks.iter().map(StrArray::len).sum(),
            Texts::Owned(v) => v.len(),
        }
    }

    /// Each text in order (`None` for a null).
    pub fn iter(&self) -> Box<dyn Iterator<Item = Option<&str>> + '_> {
        match self {
            Texts::Arrow(chunks) => Box::new(chunks.iter().flat_map(|c| (0..c.len()).map(move |i| c.get(i)))),
            Texts::Owned(v) => Box::new(v.iter().map(Option::as_deref)),
        }
    }
}

fn capsule_pointer<T>(capsule: &Bound<'_, PyCapsule>, name: &std::ffi::CStr, what: &str) -> PyResult<*mut T> {
    capsule
        .pointer_checked(Some(name))
        .map(|p| p.cast::<T>().as_ptr())
        .map_err(|e| PyValueError::new_err(format!("{what}: not an Arrow {name:?} capsule: {e}")))
}

fn import_stream(capsule: &Bound<'_, PyCapsule>, what: &str) -> PyResult<Vec<StrArray>> {
    let ptr = capsule_pointer::<ArrowArrayStream>(capsule, c"arrow_array_stream", what)?;
    // SAFETY: the capsule is named `arrow_array_stream`, so by the Arrow PyCapsule interface it holds a valid
    // ArrowArrayStream that the consumer may move out; replacing it with an empty (released) struct is the
    // move the interface prescribes, after which the capsule's destructor does nothing.
    let stream = unsafe { std::ptr::replace(ptr, ArrowArrayStream::empty()) };
    // SAFETY: the stream was produced under the C stream interface (above) and is owned here.
    let mut reader = unsafe { ArrowArrayStreamReader::try_new(Box::new(stream)) }
        .map_err(|e| PyValueError::new_err(format!("{what}: reading the Arrow stream: {e}")))?;
    let dtype = reader.field().dtype().clone();
    check_type(&dtype, what)?;
    let mut chunks = Vec::new();
    // SAFETY: each call reads the next array of the stream the reader owns, as the interface defines.
    while let Some(next) = unsafe { reader.next() } {
        let array = next.map_err(|e| PyValueError::new_err(format!("{what}: reading the Arrow stream: {e}")))?;
        chunks.push(str_array(array.as_ref(), what)?);
    }
    Ok(chunks)
}

fn import_array(schema: &Bound<'_, PyCapsule>, array: &Bound<'_, PyCapsule>, what: &str) -> PyResult<StrArray> {
    let schema_ptr = capsule_pointer::<ArrowSchema>(schema, c"arrow_schema", what)?;
    let array_ptr = capsule_pointer::<ArrowArray>(array, c"arrow_array", what)?;
    // SAFETY: a capsule named `arrow_schema` holds a valid ArrowSchema (the interface); it is only read here,
    // and its capsule keeps it alive for the call.
    let field = unsafe { import_field_from_c(&*schema_ptr) }
        .map_err(|e| PyValueError::new_err(format!("{what}: reading the Arrow schema: {e}")))?;
    check_type(field.dtype(), what)?;
    // SAFETY: a capsule named `arrow_array` holds a valid ArrowArray the consumer may move out (the interface);
    // the empty struct left behind has no release callback, so the capsule's destructor does nothing.
    let raw = unsafe { std::ptr::replace(array_ptr, ArrowArray::empty()) };
    // SAFETY: `raw` was produced for `field`'s type under the C data interface and is owned here.
    let imported = unsafe { import_array_from_c(raw, field.dtype().clone()) }
        .map_err(|e| PyValueError::new_err(format!("{what}: reading the Arrow array: {e}")))?;
    str_array(imported.as_ref(), what)
}

fn check_type(dtype: &ArrowDataType, what: &str) -> PyResult<()> {
    match dtype {
        ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View => Ok(()),
        other => Err(PyTypeError::new_err(format!(
            "{what}: expected an Arrow string column (string, large_string or string_view), got {other:?}"
        ))),
    }
}

/// The array as one of the string layouts, rebuilt through polars-arrow's checked constructors: offsets and
/// views within their buffers, every value UTF-8 (the buffers are shared, nothing is copied).
fn str_array(array: &dyn Array, what: &str) -> PyResult<StrArray> {
    let invalid = |e: PolarsError| PyValueError::new_err(format!("{what}: not a valid Arrow string array: {e}"));
    let any = array.as_any();
    if let Some(a) = any.downcast_ref::<Utf8Array<i32>>() {
        return revalidate(a).map(StrArray::Utf8).map_err(invalid);
    }
    if let Some(a) = any.downcast_ref::<Utf8Array<i64>>() {
        return revalidate(a).map(StrArray::LargeUtf8).map_err(invalid);
    }
    if let Some(a) = any.downcast_ref::<Utf8ViewArray>() {
        return Utf8ViewArray::try_new(
            ArrowDataType::Utf8View,
            a.views().clone(),
            a.data_buffers().clone(),
            a.validity().cloned(),
        )
        .map(StrArray::View)
        .map_err(invalid);
    }
    Err(PyTypeError::new_err(format!(
        "{what}: expected an Arrow string column (string, large_string or string_view), got {:?}",
        array.dtype()
    )))
}

/// The same array rebuilt through the checked constructor (offsets in bounds, values UTF-8), after a check that
/// the offsets never decrease (which the constructor, trusting its caller on that, does not make).
fn revalidate<O: Offset>(a: &Utf8Array<O>) -> PolarsResult<Utf8Array<O>> {
    if a.offsets().windows(2).any(|w| w[0] > w[1]) {
        return Err(PolarsError::ComputeError("string offsets decrease".into()));
    }
    Utf8Array::try_new(a.dtype().clone(), a.offsets().clone(), a.values().clone(), a.validity().cloned())
}
